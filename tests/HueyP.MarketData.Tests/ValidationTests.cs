using HueyP.MarketData.Dukascopy;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Ticks;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Tests;

public class ValidationTests
{
    private const string TickHeader = "ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size\n";
    private const string BarHeader = "Gmt time,Open,High,Low,Close,Volume\r\n";

    private static string Tick(int second, string bid, string ask) =>
        $"{1736121600L + second}000000000,stored,{bid},{ask},1,1\n";

    [Theory]
    [InlineData("garbage\n", RejectReason.MalformedRow)]
    [InlineData("1736121601000000000,stored,1.1x,1.2,1,1\n", RejectReason.MalformedRow)]
    [InlineData("1736121601000000000,stored,1.1\n", RejectReason.MalformedRow)]
    [InlineData("1736121601000000000,stored,NaN,1.2,1,1\n", RejectReason.InvalidPrice)]
    [InlineData("1736121601000000000,stored,0,1.2,1,1\n", RejectReason.InvalidPrice)]
    [InlineData("1736121601000000000,stored,1.1,-1.2,1,1\n", RejectReason.InvalidPrice)]
    [InlineData("1736121601000000000,stored,1.3,1.2,1,1\n", RejectReason.AskBelowBid)]
    [InlineData("1736121599000000000,stored,1.1,1.2,1,1\n", RejectReason.TimeWentBackwards)]
    public void A_bad_tick_row_is_skipped_counted_and_reported_with_file_and_line(string badRow, RejectReason expected)
    {
        using var files = new TestFiles();
        var path = files.Write("ticks.csv", TickHeader + Tick(0, "1.1", "1.2") + badRow + Tick(2, "1.1", "1.2"));
        var feed = new TickFileFeed(new TickFileOptions { Path = path, Symbol = "X" });

        var quotes = feed.ReadAll().ToList();

        Assert.Equal([0, 2], quotes.Select(q => q.TimeUtc.Second));
        Assert.Equal(1, feed.Report.RejectCount(expected));
        Assert.Equal(1, feed.Report.TotalRejects);
        var example = Assert.Single(feed.Report.Examples);
        Assert.Equal((path, 3L, expected), (example.File, example.Line, example.Reason));
        Assert.Contains($"{path}:3: {expected}", feed.Report.ToString());
    }

    [Theory]
    [InlineData("01.04.2025 10:01:00.000,1.1,1.2,1.0,1.1\r\n", RejectReason.MalformedRow)]
    [InlineData("32.04.2025 10:01:00.000,1.1,1.2,1.0,1.1,1\r\n", RejectReason.MalformedRow)]
    [InlineData("01.04.2025 10:01:00.000,NaN,1.2,1.0,1.1,1\r\n", RejectReason.InvalidPrice)]
    [InlineData("01.04.2025 10:01:00.000,1.1,1.2,0,1.1,1\r\n", RejectReason.InvalidPrice)]
    [InlineData("01.04.2025 10:01:00.000,1.1,1.05,1.0,1.1,1\r\n", RejectReason.InconsistentBar)]
    [InlineData("01.04.2025 09:59:00.000,1.1,1.2,1.0,1.1,1\r\n", RejectReason.TimeWentBackwards)]
    [InlineData("01.04.2025 10:00:00.000,1.1,1.2,1.0,1.1,1\r\n", RejectReason.DuplicateBar)]
    public void A_bad_bar_is_skipped_and_reported_with_file_and_line(string badBidRow, RejectReason expected)
    {
        using var files = new TestFiles();
        var bid = files.Write("bid.csv", BarHeader + "01.04.2025 10:00:00.000,1.1,1.2,1.0,1.1,1\r\n" + badBidRow + "01.04.2025 10:02:00.000,1.1,1.2,1.0,1.1,1");
        var ask = files.Write("ask.csv", BarHeader + "01.04.2025 10:00:00.000,1.1,1.2,1.0,1.1,1\r\n01.04.2025 10:02:00.000,1.1,1.2,1.0,1.1,1");
        var feed = new DukascopyFeed(new DukascopyOptions { Symbol = "X", BidPath = bid, AskPath = ask, QuotesPerBar = BarQuoteMode.CloseOnly });

        var quotes = feed.ReadAll().ToList();

        Assert.Equal([0, 2], quotes.Select(q => q.TimeUtc.Minute));
        var example = Assert.Single(feed.Report.Examples);
        Assert.Equal((bid, 3L, expected), (example.File, example.Line, example.Reason));
    }

    [Fact]
    public void A_crossed_bar_pair_never_reaches_a_consumer()
    {
        using var files = new TestFiles();
        var bid = files.Write("bid.csv", BarHeader + "01.04.2025 10:00:00.000,1.1,1.2,1.0,1.1,1");
        var ask = files.Write("ask.csv", BarHeader + "01.04.2025 10:00:00.000,1.1,1.2,1.0,1.09,1");
        var feed = new DukascopyFeed(new DukascopyOptions { Symbol = "X", BidPath = bid, AskPath = ask });

        Assert.Empty(feed.ReadAll());
        Assert.Equal(RejectReason.AskBelowBid, Assert.Single(feed.Report.Examples).Reason);
    }

    [Fact]
    public void Strict_mode_fails_at_the_first_bad_row_naming_file_and_line()
    {
        using var files = new TestFiles();
        var path = files.Write("ticks.csv", TickHeader + Tick(0, "1.1", "1.2") + Tick(1, "1.1", "1.2") + Tick(2, "1.3", "1.2") + "garbage\n");
        var feed = new TickFileFeed(new TickFileOptions { Path = path, Symbol = "X", Validation = ValidationOptions.StrictMode });

        var read = new List<DateTime>();
        var error = Assert.Throws<FeedDataException>(() =>
        {
            foreach (var quote in feed.ReadAll())
                read.Add(quote.TimeUtc);
        });

        Assert.Equal(2, read.Count);
        Assert.Equal((path, 4L, RejectReason.AskBelowBid), (error.File, error.Line, error.Reason));
        Assert.StartsWith($"{path}:4: AskBelowBid", error.Message);
    }

    [Fact]
    public void Only_the_first_few_examples_per_reason_are_kept_but_all_are_counted()
    {
        using var files = new TestFiles();
        var rows = string.Concat(Enumerable.Range(0, 20).Select(i => Tick(i, "1.1", i % 2 == 0 ? "1.2" : "1.0")));
        var path = files.Write("ticks.csv", TickHeader + rows);
        var breakerOff = new BreakerOptions { RejectsToTrip = 100, WindowRows = 100 };
        var feed = new TickFileFeed(new TickFileOptions { Path = path, Symbol = "X", Validation = new ValidationOptions { Breaker = breakerOff } });

        Assert.Equal(10, feed.ReadAll().Count());
        Assert.Equal(10, feed.Report.RejectCount(RejectReason.AskBelowBid));
        Assert.Equal([3L, 5L, 7L, 9L, 11L], feed.Report.Examples.Select(e => e.Line));
    }

    [Fact]
    public void A_burst_of_bad_rows_trips_the_breaker_which_withholds_the_symbol_until_a_clean_stretch()
    {
        using var files = new TestFiles();
        var rows = new List<string>();
        for (var i = 0; i < 10; i++)
            rows.Add(Tick(i, "1.1", "1.2"));          // lines 2..11 clean
        for (var i = 10; i < 13; i++)
            rows.Add(Tick(i, "1.1", "1.0"));          // lines 12..14 crossed: the third trips
        for (var i = 13; i < 30; i++)
            rows.Add(Tick(i, "1.1", "1.2"));          // lines 15..31 clean: the fifth re-closes
        var path = files.Write("ticks.csv", TickHeader + string.Concat(rows));
        var breaker = new BreakerOptions { RejectsToTrip = 3, WindowRows = 10, CleanRowsToClose = 5 };
        var feed = new TickFileFeed(new TickFileOptions { Path = path, Symbol = "EURUSD", Validation = new ValidationOptions { Breaker = breaker } });

        var seconds = feed.ReadAll().Select(q => q.TimeUtc.Second).ToList();

        var trip = Assert.Single(feed.Report.BreakerTrips);
        Assert.Equal(("EURUSD", path, 14L, (long?)19L, 4L), (trip.Symbol, trip.File, trip.Line, trip.ClosedAtLine, trip.QuotesWithheld));
        Assert.Equal(4, feed.Report.QuotesWithheldByBreaker);
        Assert.Equal(Enumerable.Range(0, 10).Concat(Enumerable.Range(17, 13)), seconds);
    }

    [Fact]
    public void Scattered_bad_rows_do_not_trip_the_breaker()
    {
        using var files = new TestFiles();
        var rows = string.Concat(Enumerable.Range(0, 60).Select(i => Tick(i, "1.1", i % 20 == 0 ? "1.0" : "1.2")));
        var path = files.Write("ticks.csv", TickHeader + rows);
        var breaker = new BreakerOptions { RejectsToTrip = 3, WindowRows = 10, CleanRowsToClose = 5 };
        var feed = new TickFileFeed(new TickFileOptions { Path = path, Symbol = "X", Validation = new ValidationOptions { Breaker = breaker } });

        Assert.Equal(57, feed.ReadAll().Count());
        Assert.Empty(feed.Report.BreakerTrips);
    }
}
