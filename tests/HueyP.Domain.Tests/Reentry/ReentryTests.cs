using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Reentry;

public class ReentryTests
{
    private static readonly DateTime Exit = new(2025, 4, 1, 12, 0, 0, DateTimeKind.Utc);

    private static ReentryContext Context(double atr = 0.0010, double price = 1.0, int retries = 0, bool halted = false, int secondsAfterExit = 600) =>
        new(ExitKind.StopLoss, Exit, Exit.AddSeconds(secondsAfterExit), atr, price, retries, halted);

    [Fact]
    public void Default_profiles_are_the_documented_six()
    {
        var expected = new[]
        {
            (1, 0.25, 30, PriceAnchor.Mid, 1), (2, 0.25, 60, PriceAnchor.Last, 2), (3, 0.50, 90, PriceAnchor.Vwap, 2),
            (4, 0.50, 120, PriceAnchor.BidAskEdge, 3), (5, 0.75, 180, PriceAnchor.VwapPlusBias, 3), (6, 1.00, 240, PriceAnchor.SignalRecompute, 4),
        };
        Assert.Equal(expected, ReentryOptions.DefaultProfiles.Select(p => (p.Face, p.Sizing, p.DelaySeconds, p.PriceAnchor, p.MaxRetries)));
        Assert.Empty(ReentryOptions.Default.Validate());
    }

    [Theory]
    [InlineData(0.0001, VolatilityBucket.Low, 2)]
    [InlineData(0.0010, VolatilityBucket.Mid, 3)]
    [InlineData(0.0020, VolatilityBucket.High, 5)]
    [InlineData(0.0100, VolatilityBucket.High, 5)]
    public void Roll_is_decided_by_the_volatility_bucket(double atr, VolatilityBucket bucket, int face)
    {
        var planner = new ReentryPlanner(ReentryOptions.Default);
        var plan = planner.Plan(Context(atr));
        Assert.Equal(bucket, plan.Bucket);
        Assert.Equal(face, plan.Profile!.Face);
        Assert.Equal(plan, planner.Plan(Context(atr))); // deterministic
    }

    [Fact]
    public void Bucket_uses_atr_relative_to_price()
    {
        var planner = new ReentryPlanner(ReentryOptions.Default);
        Assert.Equal(VolatilityBucket.Mid, planner.Classify(atr: 0.15, price: 150)); // USDJPY-like: 0.001
        Assert.Null(planner.Classify(double.NaN, 1.1));
        Assert.Null(planner.Classify(0.001, 0));
    }

    [Fact]
    public void Reentry_waits_for_the_profile_delay()
    {
        var planner = new ReentryPlanner(ReentryOptions.Default);
        var waiting = planner.Plan(Context(secondsAfterExit: 89)); // mid -> profile 3, 90 s
        Assert.Equal(ReentryOutcome.Waiting, waiting.Outcome);
        Assert.Equal(Exit.AddSeconds(90), waiting.NotBeforeUtc);
        Assert.True(planner.Plan(Context(secondsAfterExit: 90)).IsAllowed);
    }

    [Fact]
    public void Retries_never_exceed_max_retries()
    {
        var planner = new ReentryPlanner(ReentryOptions.Default);
        Assert.True(planner.Plan(Context(retries: 1)).IsAllowed);
        Assert.Equal(2, planner.Plan(Context(retries: 1)).Attempt);
        var exhausted = planner.Plan(Context(retries: 2)); // profile 3 allows 2
        Assert.Equal(ReentryOutcome.RetriesExhausted, exhausted.Outcome);
        Assert.Equal(0, exhausted.Sizing);
    }

    [Fact]
    public void Halt_overrides_any_reentry()
    {
        var plan = new ReentryPlanner(ReentryOptions.Default).Plan(Context(halted: true));
        Assert.Equal(ReentryOutcome.Halted, plan.Outcome);
        Assert.False(plan.IsAllowed);
        Assert.Contains("HALT", plan.Reason);
    }

    [Fact]
    public void Sizing_times_account_risk_never_exceeds_max_risk()
    {
        var options = ReentryOptions.Default with { AccountRiskPercent = 2.0, MaxRiskPercent = 1.0 };
        var planner = new ReentryPlanner(options);
        var plan = planner.Plan(Context(atr: 0.01)); // high -> profile 5, sizing 0.75 -> 1.5% > 1%
        Assert.True(plan.IsAllowed);
        Assert.Equal(0.5, plan.Sizing, 12);
        Assert.Equal(1.0, plan.RiskPercent, 12);
        Assert.Contains("capped", plan.Reason);

        foreach (var atr in new[] { 0.0001, 0.001, 0.01 })
        {
            var p = planner.Plan(Context(atr));
            Assert.True(p.Sizing * options.AccountRiskPercent <= options.MaxRiskPercent + 1e-12);
        }
    }

    [Fact]
    public void Invalid_profiles_are_rejected_with_the_offending_key()
    {
        var profiles = ReentryOptions.DefaultProfiles.ToList();
        profiles[3] = profiles[3] with { DelaySeconds = 1200 };
        profiles[0] = profiles[0] with { Sizing = 1.5, MaxRetries = 7 };
        var errors = (ReentryOptions.Default with { Profiles = profiles }).Validate().Select(e => e.ToString()).ToList();
        Assert.Contains("hueyp.reentry.profiles.4.delay_s = 1200: must be in [0,900]", errors);
        Assert.Contains("hueyp.reentry.profiles.1.sizing = 1.5: must be in [0,1]", errors);
        Assert.Contains("hueyp.reentry.profiles.1.max_retries = 7: must be in [0,6]", errors);
        Assert.Equal(3, errors.Count);

        var ex = Assert.Throws<InvalidOptionsException>(() => new ReentryPlanner(ReentryOptions.Default with { Profiles = profiles }));
        Assert.Contains("profiles.4.delay_s", ex.Message);
    }

    [Fact]
    public void A_missing_or_duplicated_face_is_rejected()
    {
        var profiles = ReentryOptions.DefaultProfiles.Take(5).Append(ReentryOptions.DefaultProfiles[0]).ToList();
        var error = Assert.Single((ReentryOptions.Default with { Profiles = profiles }).Validate());
        Assert.Equal("hueyp.reentry.profiles = [1,1,2,3,4,5]: must define each face 1..6 exactly once", error.ToString());
    }

    [Fact]
    public void Price_anchor_config_names_round_trip()
    {
        foreach (var anchor in Enum.GetValues<PriceAnchor>())
        {
            Assert.True(PriceAnchorNames.TryParse(anchor.ToConfigName(), out var parsed));
            Assert.Equal(anchor, parsed);
        }
        Assert.Equal("vwap_plus_bias", PriceAnchor.VwapPlusBias.ToConfigName());
        Assert.False(PriceAnchorNames.TryParse("close", out _));
    }
}
