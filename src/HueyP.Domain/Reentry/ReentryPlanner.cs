namespace HueyP.Domain.Reentry;

public enum ExitKind { TakeProfit, StopLoss, Manual }

/// <summary>What the planner needs to know about the last exit and the symbol right now.</summary>
public sealed record ReentryContext(
    ExitKind ExitKind,
    DateTime ExitTimeUtc,
    DateTime NowUtc,
    double Atr,
    double Price,
    int RetriesUsed,
    bool Halted);

public enum ReentryOutcome { Allowed, Waiting, Halted, RetriesExhausted, NoVolatility }

/// <summary>
/// The planner's answer. <see cref="Sizing"/> is the profile's sizing, capped so that
/// sizing × account risk % never exceeds the maximum risk %.
/// </summary>
public sealed record ReentryPlan(
    ReentryOutcome Outcome,
    VolatilityBucket? Bucket,
    ReentryProfile? Profile,
    double Sizing,
    double RiskPercent,
    DateTime NotBeforeUtc,
    int Attempt,
    string Reason)
{
    public bool IsAllowed => Outcome == ReentryOutcome.Allowed;
}

/// <summary>
/// The six-sided die. The roll is not random: it is a function of the volatility bucket, so a replay gives the
/// same reentries. HALT always wins, then the retry budget, then the delay.
/// </summary>
public sealed class ReentryPlanner
{
    private readonly ReentryOptions _options;

    public ReentryPlanner(ReentryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
    }

    public ReentryOptions Options => _options;

    /// <summary>Null when volatility cannot be measured (ATR or price not a positive finite number).</summary>
    public VolatilityBucket? Classify(double atr, double price)
    {
        if (!double.IsFinite(atr) || !double.IsFinite(price) || atr < 0 || price <= 0) return null;
        var ratio = atr / price;
        if (ratio < _options.LowVolatilityBelow) return VolatilityBucket.Low;
        return ratio >= _options.HighVolatilityFrom ? VolatilityBucket.High : VolatilityBucket.Mid;
    }

    public int Roll(VolatilityBucket bucket) => bucket switch
    {
        VolatilityBucket.Low => _options.LowVolatilityFace,
        VolatilityBucket.Mid => _options.MidVolatilityFace,
        _ => _options.HighVolatilityFace,
    };

    public ReentryPlan Plan(ReentryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Halted)
            return Denied(ReentryOutcome.Halted, null, null, context, "HALT overrides any reentry");

        var bucket = Classify(context.Atr, context.Price);
        if (bucket is null)
            return Denied(ReentryOutcome.NoVolatility, null, null, context,
                $"volatility unknown (atr={context.Atr}, price={context.Price}): no reentry on a blind roll");

        var profile = _options.Profile(Roll(bucket.Value));
        if (context.RetriesUsed >= profile.MaxRetries)
            return Denied(ReentryOutcome.RetriesExhausted, bucket, profile, context,
                $"retries used {context.RetriesUsed} reached max_retries {profile.MaxRetries} of profile {profile.Face}");

        var sizing = CappedSizing(profile.Sizing);
        var notBefore = context.ExitTimeUtc + profile.Delay;
        var risk = sizing * _options.AccountRiskPercent;
        var capped = sizing < profile.Sizing ? $"; sizing capped to {sizing:0.####} by max risk {_options.MaxRiskPercent}%" : "";
        if (context.NowUtc < notBefore)
            return new ReentryPlan(ReentryOutcome.Waiting, bucket, profile, sizing, risk, notBefore, context.RetriesUsed + 1,
                $"profile {profile.Face} waits {profile.DelaySeconds}s after the exit, until {notBefore:O}{capped}");

        return new ReentryPlan(ReentryOutcome.Allowed, bucket, profile, sizing, risk, notBefore, context.RetriesUsed + 1,
            $"profile {profile.Face} ({bucket.Value.ToString().ToLowerInvariant()} volatility) attempt {context.RetriesUsed + 1} of {profile.MaxRetries}{capped}");
    }

    private double CappedSizing(double sizing)
    {
        if (_options.AccountRiskPercent <= 0) return sizing;
        return Math.Min(sizing, _options.MaxRiskPercent / _options.AccountRiskPercent);
    }

    private static ReentryPlan Denied(ReentryOutcome outcome, VolatilityBucket? bucket, ReentryProfile? profile, ReentryContext context, string reason) =>
        new(outcome, bucket, profile, 0, 0, context.NowUtc, context.RetriesUsed, reason);
}
