namespace HueyP.Domain.PreTrade;

/// <summary>Reason codes written into OrderDenied and shown to the trader; stable strings, never renamed.</summary>
public static class PreTradeReasonCodes
{
    public const string OrderSizeBlock = "ORDER_SIZE_BLOCK";
    public const string PriceCollarBlock = "PRICE_COLLAR_BLOCK";
    public const string DuplicateOrderBlock = "DUPLICATE_ORDER_BLOCK";
    public const string RateThrottleBlock = "RATE_THROTTLE_BLOCK";
    public const string CancelLoopBlock = "CANCEL_LOOP_BLOCK";
    public const string KillSwitchActive = "KILL_SWITCH_ACTIVE";
    public const string InvalidOrder = "INVALID_ORDER";

    /// <summary>A new entry while the mode ladder is in DEGRADED_EXEC (manage-only).</summary>
    public const string ModeDegradedExec = "MODE_DEGRADED_EXEC";

    /// <summary>A new entry while the engine is in SAFE_MODE (only an operator leaves it).</summary>
    public const string ModeSafeMode = "MODE_SAFE_MODE";
}
