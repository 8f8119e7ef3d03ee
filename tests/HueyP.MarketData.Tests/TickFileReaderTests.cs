using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Tests;

public class TickFileReaderTests
{
    private static TickFileOptions ShippedHistData => new()
    {
        Path = TestFiles.Shipped("EURUSD_ticks_2020-01-30.csv.gz"),
        Symbol = "EURUSD",
        TimeOffset = TickFileOptions.NewYorkStandardTimeToUtc,
    };

    [Fact]
    public void Shipped_histdata_ticks_are_all_read_and_shifted_from_new_york_standard_time_to_utc()
    {
        var quotes = new TickFileFeed(ShippedHistData).ReadAll().ToList();

        Assert.Equal(99_308, quotes.Count);
        // First row: 1580380071336000000,2020-01-30T10:27:51.336000000,1.102740,1.102760 (New York standard time).
        Assert.Equal(new Quote("EURUSD", new DateTime(2020, 1, 30, 15, 27, 51, 336, DateTimeKind.Utc), 1.10274, 1.10276), quotes[0]);
        // Last row: 2020-01-31T16:59:56.198 → 21:59:56.198 UTC, bid 1.109440, ask 1.109520.
        Assert.Equal(new Quote("EURUSD", new DateTime(2020, 1, 31, 21, 59, 56, 198, DateTimeKind.Utc), 1.10944, 1.10952), quotes[^1]);
    }

    [Fact]
    public void Without_an_offset_the_stored_time_is_taken_as_utc()
    {
        var first = new TickFileFeed(ShippedHistData with { TimeOffset = TimeSpan.Zero }).ReadAll().First();

        Assert.Equal(new DateTime(2020, 1, 30, 10, 27, 51, 336, DateTimeKind.Utc), first.TimeUtc);
    }

    [Fact]
    public void Report_accounts_for_every_row_of_the_shipped_file()
    {
        var feed = new TickFileFeed(ShippedHistData);
        var count = feed.ReadAll().Count();

        Assert.Equal((99_308L, 99_308L, 0L), (feed.Report.RowsRead, feed.Report.QuotesEmitted, feed.Report.TotalRejects));
        Assert.Equal(count, feed.Report.QuotesEmitted);
    }

    [Fact]
    public void A_file_with_a_symbol_column_gives_each_row_its_own_symbol_in_crlf_without_final_newline()
    {
        using var files = new TestFiles();
        var path = files.Write("multi.csv",
            "symbol,ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\r\n" +
            "EURUSD,1736121600000000000,2025-01-06T00:00:00.000000000,1.03000,1.03010,1,1\r\n" +
            "USDJPY,1736121600001000000,2025-01-06T00:00:00.001000000,157.100,157.110,1,1");

        var quotes = new TickFileFeed(new TickFileOptions { Path = path }).ReadAll().ToList();

        Assert.Equal(["EURUSD", "USDJPY"], quotes.Select(q => q.Symbol));
        Assert.Equal(157.11, quotes[1].Ask);
        Assert.Equal(new DateTime(2025, 1, 6, 0, 0, 0, 1, DateTimeKind.Utc), quotes[1].TimeUtc);
    }

    [Fact]
    public void A_gzip_file_is_recognised_by_content_not_by_name()
    {
        using var files = new TestFiles();
        var path = files.WriteGzip("ticks.csv",
            "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\n1736121600000000000,x,1.5,1.6,1,1\n");

        var quote = Assert.Single(new TickFileFeed(new TickFileOptions { Path = path, Symbol = "X" }).ReadAll());
        Assert.Equal(1.6, quote.Ask);
    }

    [Fact]
    public void A_file_without_symbol_column_needs_a_symbol()
    {
        using var files = new TestFiles();
        var path = files.Write("ticks.csv", "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\n");

        Assert.Throws<ArgumentException>(() => new TickFileReader(new TickFileOptions { Path = path }));
    }
}
