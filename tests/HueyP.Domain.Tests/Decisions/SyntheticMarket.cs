using HueyP.Domain.Market;

namespace HueyP.Domain.Tests.Decisions;

/// <summary>A deterministic EURUSD-like quote stream: a slow wave plus seeded noise, one quote every 10 s.</summary>
internal static class SyntheticMarket
{
    public static readonly DateTime Start = new(2025, 4, 1, 8, 0, 0, DateTimeKind.Utc);

    public static IEnumerable<Quote> Quotes(int count, int seed = 11, string symbol = "EURUSD")
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var time = Start.AddSeconds(10 * i);
            var minutes = (time - Start).TotalMinutes;
            var mid = 1.1 + 0.0030 * Math.Sin(2 * Math.PI * minutes / 45) + 0.0002 * (random.NextDouble() - 0.5);
            yield return new Quote(symbol, time, Math.Round(mid - 0.00005, 6), Math.Round(mid + 0.00005, 6), 1);
        }
    }
}
