using HueyP.Domain.Strategy;

namespace HueyP.Domain.Faults;

/// <summary>Backoff settings; keys under <c>hueyp.retry</c>.</summary>
public sealed record RetryOptions
{
    public const string KeyPrefix = "hueyp.retry";

    /// <summary>Attempts in total, the first included: 4 means one call and up to three retries.</summary>
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Share of the delay that is randomised (0 = none, 1 = full jitter), so clients do not retry in step.</summary>
    public double JitterFraction { get; init; } = 0.5;
    /// <summary>A rate-limited provider is never asked again sooner than this, whatever the backoff says.</summary>
    public TimeSpan RateLimitMinDelay { get; init; } = TimeSpan.FromSeconds(1);

    public static RetryOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new OptionErrors();
        errors.InRange($"{KeyPrefix}.max_attempts", MaxAttempts, 1, 20);
        errors.InRange($"{KeyPrefix}.base_delay_ms", BaseDelay.TotalMilliseconds, 1, 60_000);
        errors.InRange($"{KeyPrefix}.max_delay_ms", MaxDelay.TotalMilliseconds, 1, 3_600_000);
        errors.Require(MaxDelay >= BaseDelay, $"{KeyPrefix}.max_delay_ms", OptionError.Format(MaxDelay.TotalMilliseconds),
            $"must be at least base_delay_ms ({OptionError.Format(BaseDelay.TotalMilliseconds)})");
        errors.InRange($"{KeyPrefix}.jitter_fraction", JitterFraction, 0, 1);
        errors.InRange($"{KeyPrefix}.rate_limit_min_delay_ms", RateLimitMinDelay.TotalMilliseconds, 0, 3_600_000);
        return errors.Errors;
    }
}

public sealed record RetryDecision(bool Retry, TimeSpan Delay, string Reason)
{
    public static RetryDecision GiveUp(string reason) => new(false, TimeSpan.Zero, reason);
}

/// <summary>
/// Decides whether a failed call is tried again and after how long: exponential backoff capped at
/// <see cref="RetryOptions.MaxDelay"/>, with the randomised share supplied by the caller (<c>jitter</c> in [0,1))
/// so the decision itself is a pure function. Only idempotent calls are retried: re-sending an order whose fate is
/// unknown could fill it twice, so a failed submission gives up and goes to reconciliation instead.
/// </summary>
public sealed class RetryPolicy
{
    private readonly RetryOptions _options;

    public RetryPolicy(RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
    }

    public static RetryPolicy Default { get; } = new(RetryOptions.Default);

    /// <param name="attempt">The attempt that just failed, 1 for the first call.</param>
    /// <param name="classification">The failure, as the <see cref="FaultClassifier"/> saw it.</param>
    /// <param name="idempotent">True for reads and other calls that are safe to repeat.</param>
    /// <param name="jitter">A uniform sample in [0,1); the actor draws it, tests fix it.</param>
    /// <param name="retryAfter">The provider's own hint (HTTP Retry-After), honoured as a minimum.</param>
    public RetryDecision Decide(int attempt, FaultClassification classification, bool idempotent, double jitter, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(classification);
        if (attempt < 1) throw new ArgumentOutOfRangeException(nameof(attempt), attempt, "attempt counts from 1");
        if (!(jitter >= 0 && jitter < 1)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "jitter must be in [0,1)");

        if (!idempotent)
            return RetryDecision.GiveUp("not idempotent: never retried blindly; reconcile before sending again");
        if (classification.Action != FaultAction.Retry)
            return RetryDecision.GiveUp($"{classification.Category} is not retryable (action {classification.Action})");
        if (attempt >= _options.MaxAttempts)
            return RetryDecision.GiveUp($"gave up after {attempt} attempts");

        // base * 2^(attempt-1), capped; the exponent is bounded so large attempt numbers cannot overflow.
        var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var cap = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
        var ms = cap * (1 - _options.JitterFraction) + cap * _options.JitterFraction * jitter;
        var floor = classification.Category == FaultCategory.RateLimit ? _options.RateLimitMinDelay.TotalMilliseconds : 0;
        if (retryAfter is { } hint) floor = Math.Max(floor, hint.TotalMilliseconds);
        ms = Math.Max(ms, floor);
        return new RetryDecision(true, TimeSpan.FromMilliseconds(Math.Round(ms)), $"attempt {attempt + 1} of {_options.MaxAttempts} after {classification.Category}");
    }
}
