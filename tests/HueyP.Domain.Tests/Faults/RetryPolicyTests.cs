using HueyP.Domain.Faults;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Faults;

public class RetryPolicyTests
{
    private static readonly FaultClassification Network = new(FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, "t");
    private static readonly FaultClassification RateLimited = new(FaultCategory.RateLimit, FaultScope.Provider, FaultAction.Retry, "t");
    private static readonly RetryPolicy NoJitter = new(RetryOptions.Default with { JitterFraction = 0 });

    [Fact]
    public void A_non_idempotent_call_is_never_retried_whatever_the_fault()
    {
        foreach (var category in Enum.GetValues<FaultCategory>())
        {
            var d = RetryPolicy.Default.Decide(1, new FaultClassification(category, FaultScope.Provider, FaultAction.Retry, "t"), idempotent: false, jitter: 0.5);
            Assert.False(d.Retry);
            Assert.Contains("not idempotent", d.Reason);
        }
    }

    [Fact]
    public void Idempotent_reads_back_off_exponentially_up_to_the_cap()
    {
        var policy = new RetryPolicy(new RetryOptions { MaxAttempts = 20, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 0 });
        var delays = Enumerable.Range(1, 6).Select(a => policy.Decide(a, Network, true, 0).Delay.TotalMilliseconds).ToList();
        Assert.Equal([100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void Jitter_spreads_the_delay_within_the_configured_share()
    {
        // base 200 ms, fraction 0.5: attempt 1 waits between 100 and 200 ms.
        Assert.Equal(100, RetryPolicy.Default.Decide(1, Network, true, 0).Delay.TotalMilliseconds);
        Assert.Equal(150, RetryPolicy.Default.Decide(1, Network, true, 0.5).Delay.TotalMilliseconds);
        Assert.True(RetryPolicy.Default.Decide(1, Network, true, 0.999).Delay.TotalMilliseconds <= 200);
    }

    [Fact]
    public void Gives_up_after_max_attempts()
    {
        Assert.True(NoJitter.Decide(3, Network, true, 0).Retry);
        var last = NoJitter.Decide(4, Network, true, 0);
        Assert.False(last.Retry);
        Assert.Contains("4 attempts", last.Reason);
    }

    [Theory]
    [InlineData(FaultCategory.Auth, FaultAction.DisableProvider)]
    [InlineData(FaultCategory.BadData, FaultAction.SkipSymbol)]
    [InlineData(FaultCategory.InvariantViolation, FaultAction.HaltTrading)]
    public void Faults_whose_action_is_not_retry_are_not_retried(FaultCategory category, FaultAction action)
    {
        Assert.False(NoJitter.Decide(1, new FaultClassification(category, FaultScope.Provider, action, "t"), true, 0).Retry);
    }

    [Fact]
    public void Rate_limits_wait_at_least_the_minimum_and_the_providers_hint()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), NoJitter.Decide(1, RateLimited, true, 0).Delay);
        Assert.Equal(TimeSpan.FromSeconds(7), NoJitter.Decide(1, RateLimited, true, 0, retryAfter: TimeSpan.FromSeconds(7)).Delay);
    }

    [Fact]
    public void Huge_attempt_numbers_do_not_overflow()
    {
        var policy = new RetryPolicy(RetryOptions.Default with { MaxAttempts = 20, JitterFraction = 0 });
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Decide(19, Network, true, 0).Delay);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.Decide(0, Network, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.Decide(1, Network, true, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Default.Decide(1, Network, true, double.NaN));
    }

    [Fact]
    public void Invalid_options_name_their_keys()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => new RetryPolicy(new RetryOptions
        {
            MaxAttempts = 0, BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1), JitterFraction = 2,
        }));
        var keys = ex.Errors.Select(e => e.Key).ToList();
        Assert.Contains("hueyp.retry.max_attempts", keys);
        Assert.Contains("hueyp.retry.max_delay_ms", keys);
        Assert.Contains("hueyp.retry.jitter_fraction", keys);
    }
}
