using System.Security.Cryptography;
using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Synthetic;
using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Tests;

public class SyntheticFeedTests
{
    private static string HashOf(IEnumerable<Quote> quotes)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> row = stackalloc byte[32];
        foreach (var quote in quotes)
        {
            hash.AppendData(System.Text.Encoding.ASCII.GetBytes(quote.Symbol));
            BitConverter.TryWriteBytes(row, quote.TimeUtc.Ticks);
            BitConverter.TryWriteBytes(row[8..], quote.Bid);
            BitConverter.TryWriteBytes(row[16..], quote.Ask);
            BitConverter.TryWriteBytes(row[24..], quote.Volume);
            hash.AppendData(row);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static List<Quote> Generate(ulong seed, long count) =>
        new SyntheticFeed(new SyntheticMarketOptions { Seed = seed, MaxQuotes = count }).ReadAll().ToList();

    [Fact]
    public void The_same_seed_gives_the_same_stream_and_another_seed_a_different_one()
    {
        var first = HashOf(Generate(42, 50_000));
        var again = HashOf(Generate(42, 50_000));
        var other = HashOf(Generate(43, 50_000));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Every_quote_has_ask_above_bid_and_time_never_goes_back_or_lands_on_a_weekend()
    {
        var quotes = Generate(7, 200_000);

        var crossed = quotes.FindIndex(q => !(q.Ask > q.Bid && q.Bid > 0));
        var backwards = Enumerable.Range(1, quotes.Count - 1).FirstOrDefault(i => quotes[i].TimeUtc < quotes[i - 1].TimeUtc);
        var onWeekend = quotes.FindIndex(q => !TradingSessions.IsMarketOpen(q.TimeUtc));

        Assert.Equal((-1, 0, -1), (crossed, backwards, onWeekend));
    }

    [Fact]
    public void All_28_majors_and_crosses_trade_at_realistic_prices()
    {
        var quotes = Generate(3, 100_000);
        var bySymbol = quotes.GroupBy(q => q.Symbol).ToDictionary(g => g.Key, g => g.Last());

        Assert.Equal(28, bySymbol.Count);
        Assert.InRange(bySymbol["EURUSD"].Mid, 0.9, 1.3);
        Assert.InRange(bySymbol["USDJPY"].Mid, 120, 180);
        Assert.InRange(bySymbol["EURUSD"].Spread, 0.00001, 0.0010);
    }

    [Fact]
    public void Spreads_widen_in_the_volatile_regime()
    {
        using var reader = new SyntheticQuoteReader(new SyntheticMarketOptions { Seed = 11, MaxQuotes = 400_000 });
        var symbols = SyntheticSymbol.Majors28;
        double calmSum = 0, volatileSum = 0;
        long calmCount = 0, volatileCount = 0;
        while (reader.TryRead(out var quote))
        {
            // Spread in units of the symbol's typical spread, so symbols can be pooled.
            var relative = quote.Spread / symbols[reader.LastSymbolIndex].PipSize / symbols[reader.LastSymbolIndex].TypicalSpreadPips;
            if (reader.LastRegime == MarketRegime.Calm) { calmSum += relative; calmCount++; }
            if (reader.LastRegime == MarketRegime.Volatile) { volatileSum += relative; volatileCount++; }
        }

        Assert.True(calmCount > 10_000 && volatileCount > 10_000, $"calm {calmCount}, volatile {volatileCount}");
        Assert.True(volatileSum / volatileCount > 1.8 * (calmSum / calmCount),
            $"volatile {volatileSum / volatileCount:F2} vs calm {calmSum / calmCount:F2}");
    }

    [Fact]
    public void Spreads_are_wider_at_rollover_than_in_london()
    {
        var oneDay = new SyntheticMarketOptions
        {
            Seed = 5,
            TicksPerSecond = 2,
            StartUtc = new DateTime(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc),
            EndUtc = new DateTime(2025, 1, 7, 0, 0, 0, DateTimeKind.Utc),
        };
        var quotes = new SyntheticFeed(oneDay).ReadAll().Where(q => q.Symbol == "EURUSD").ToList();
        double Average(TradingSession session) =>
            quotes.Where(q => TradingSessions.At(q.TimeUtc) == session).Average(q => q.Spread);

        Assert.True(Average(TradingSession.Rollover) > 2 * Average(TradingSession.London));
    }

    [Fact]
    public void A_written_synthetic_tick_file_replays_exactly_the_generated_stream()
    {
        using var files = new TestFiles();
        var path = files.PathOf("synthetic.csv.gz");
        var options = new SyntheticMarketOptions { Seed = 9 };

        var written = SyntheticTickFile.Write(path, options, 30_000);
        var replayed = new TickFileFeed(new TickFileOptions { Path = path }).ReadAll().ToList();

        Assert.Equal(30_000, written);
        Assert.Equal(Generate(9, 30_000), replayed);
    }
}
