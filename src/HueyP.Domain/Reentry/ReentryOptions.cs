using System.Globalization;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Reentry;

public enum VolatilityBucket { Low, Mid, High }

/// <summary>
/// The six reentry profiles and the rules for choosing and bounding them. Keys live under <c>hueyp.reentry</c>.
/// Volatility is ATR divided by price, so one threshold works across instruments of different price levels.
/// </summary>
public sealed record ReentryOptions
{
    public const string KeyPrefix = "hueyp.reentry";

    public static IReadOnlyList<ReentryProfile> DefaultProfiles { get; } =
    [
        new(1, 0.25, 30, PriceAnchor.Mid, 1),
        new(2, 0.25, 60, PriceAnchor.Last, 2),
        new(3, 0.50, 90, PriceAnchor.Vwap, 2),
        new(4, 0.50, 120, PriceAnchor.BidAskEdge, 3),
        new(5, 0.75, 180, PriceAnchor.VwapPlusBias, 3),
        new(6, 1.00, 240, PriceAnchor.SignalRecompute, 4),
    ];

    public IReadOnlyList<ReentryProfile> Profiles { get; init; } = DefaultProfiles;
    /// <summary>ATR/price below this is the low-volatility bucket.</summary>
    public double LowVolatilityBelow { get; init; } = 0.0005;
    /// <summary>ATR/price at or above this is the high-volatility bucket.</summary>
    public double HighVolatilityFrom { get; init; } = 0.0020;
    public int LowVolatilityFace { get; init; } = 2;
    public int MidVolatilityFace { get; init; } = 3;
    public int HighVolatilityFace { get; init; } = 5;
    /// <summary>Account risk per trade, in percent of equity, before the profile's sizing.</summary>
    public double AccountRiskPercent { get; init; } = 1.0;
    /// <summary>Hard cap: sizing × account risk % may never exceed this.</summary>
    public double MaxRiskPercent { get; init; } = 1.0;

    public static ReentryOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new OptionErrors();
        errors.Require(Profiles is not null, $"{KeyPrefix}.profiles", "null", "must list profiles 1..6");
        if (Profiles is not null)
        {
            var faces = Profiles.Select(p => p.Face).OrderBy(f => f).ToArray();
            errors.Require(faces.SequenceEqual([1, 2, 3, 4, 5, 6]), $"{KeyPrefix}.profiles",
                "[" + string.Join(",", faces) + "]", "must define each face 1..6 exactly once");
            foreach (var profile in Profiles)
            {
                var key = $"{KeyPrefix}.profiles.{profile.Face.ToString(CultureInfo.InvariantCulture)}";
                errors.InRange($"{key}.sizing", profile.Sizing, 0, 1);
                errors.InRange($"{key}.delay_s", profile.DelaySeconds, 0, 900);
                errors.Require(Enum.IsDefined(profile.PriceAnchor), $"{key}.price_anchor", profile.PriceAnchor.ToString(),
                    "must be one of mid, last, vwap, bid_ask_edge, vwap_plus_bias, signal_recompute");
                errors.InRange($"{key}.max_retries", profile.MaxRetries, 0, 6);
            }
        }

        errors.InRange($"{KeyPrefix}.low_volatility_below", LowVolatilityBelow, 0, 1);
        errors.InRange($"{KeyPrefix}.high_volatility_from", HighVolatilityFrom, 0, 1);
        errors.Require(LowVolatilityBelow < HighVolatilityFrom, $"{KeyPrefix}.low_volatility_below", OptionError.Format(LowVolatilityBelow),
            $"must be less than high_volatility_from ({OptionError.Format(HighVolatilityFrom)})");
        errors.InRange($"{KeyPrefix}.low_volatility_face", LowVolatilityFace, 1, 6);
        errors.InRange($"{KeyPrefix}.mid_volatility_face", MidVolatilityFace, 1, 6);
        errors.InRange($"{KeyPrefix}.high_volatility_face", HighVolatilityFace, 1, 6);
        errors.InRange($"{KeyPrefix}.account_risk_pct", AccountRiskPercent, 0, 100);
        errors.InRange($"{KeyPrefix}.max_risk_pct", MaxRiskPercent, 0, 100);
        return errors.Errors;
    }

    public ReentryProfile Profile(int face) =>
        Profiles.FirstOrDefault(p => p.Face == face)
        ?? throw new ArgumentOutOfRangeException(nameof(face), face, "No reentry profile for this face; faces are 1..6.");
}
