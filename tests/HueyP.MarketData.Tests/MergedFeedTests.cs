using HueyP.Domain.Market;
using HueyP.MarketData.Dukascopy;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Tests;

public class MergedFeedTests
{
    private static IReplayableFeed Shipped(string symbol) =>
        new DukascopyFeed(DukascopyOptions.ForShippedFiles(TestFiles.ShippedFolder, symbol, "2025-04"));

    [Fact]
    public void Eurusd_and_gbpusd_merge_into_one_time_ordered_stream_with_eurusd_first_on_equal_times()
    {
        // GBPUSD listed first on purpose: the tie-break is by symbol, not by the order the feeds were given.
        var merged = new MergedFeed("April 2025", Shipped("GBPUSD"), Shipped("EURUSD"));

        var quotes = merged.ReadAll().ToList();

        Assert.Equal(4 * (31615 + 31485), quotes.Count);
        var firstOutOfOrder = Enumerable.Range(1, quotes.Count - 1).FirstOrDefault(i =>
            quotes[i - 1].TimeUtc > quotes[i].TimeUtc
            || (quotes[i - 1].TimeUtc == quotes[i].TimeUtc && string.CompareOrdinal(quotes[i - 1].Symbol, quotes[i].Symbol) >= 0));
        Assert.Equal(0, firstOutOfOrder);
        Assert.Equal(["EURUSD", "GBPUSD"], quotes.Take(2).Select(q => q.Symbol));
        Assert.Equal(quotes.Count, merged.Report.QuotesEmitted);
        Assert.Equal(4 * 43200, merged.Report.RowsRead);
    }

    [Fact]
    public void Merging_the_same_sources_twice_gives_the_same_stream()
    {
        var first = new MergedFeed("a", Shipped("EURUSD"), Shipped("GBPUSD")).ReadAll().Take(50_000).ToList();
        var second = new MergedFeed("b", Shipped("GBPUSD"), Shipped("EURUSD")).ReadAll().Take(50_000).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Quotes_of_the_same_symbol_and_time_keep_the_order_of_the_sources()
    {
        using var files = new TestFiles();
        const string header = "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\n";
        var a = files.Write("a.csv", header + "1000000000,s,1.1,1.2,1,1\n");
        var b = files.Write("b.csv", header + "1000000000,s,2.1,2.2,1,1\n");
        var feed = new MergedFeed("m",
            new TickFileFeed(new TickFileOptions { Path = a, Symbol = "X" }),
            new TickFileFeed(new TickFileOptions { Path = b, Symbol = "X" }));

        Assert.Equal([1.1, 2.1], feed.ReadAll().Select(q => q.Bid));
    }

    [Fact]
    public void Rejects_of_the_parts_appear_in_the_merged_report_with_their_own_file()
    {
        using var files = new TestFiles();
        const string header = "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\n";
        var good = files.Write("good.csv", header + "1000000000,s,1.1,1.2,1,1\n");
        var bad = files.Write("bad.csv", header + "1000000000,s,1.3,1.2,1,1\n");
        var feed = new MergedFeed("m",
            new TickFileFeed(new TickFileOptions { Path = good, Symbol = "X" }),
            new TickFileFeed(new TickFileOptions { Path = bad, Symbol = "Y" }));

        Assert.Single(feed.ReadAll());
        Assert.Equal((bad, 2L), (feed.Report.Examples[0].File, feed.Report.Examples[0].Line));
    }
}
