using HueyP.Domain.Market;
using HueyP.MarketData.Dukascopy;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Tests;

public class DukascopyReaderTests
{
    private static readonly DateTime April1 = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);

    private static List<Quote> ReadShipped(string symbol, out FeedReport report, BarQuoteMode mode = BarQuoteMode.OpenHighLowClose)
    {
        var options = DukascopyOptions.ForShippedFiles(TestFiles.ShippedFolder, symbol, "2025-04") with { QuotesPerBar = mode };
        using var reader = new DukascopyQuoteReader(options);
        var quotes = new List<Quote>();
        while (reader.TryRead(out var quote))
            quotes.Add(quote);
        report = reader.Report;
        return quotes;
    }

    // Traded minutes counted with awk on the original CSVs: rows where bid or ask Volume is not 0.
    [Theory]
    [InlineData("EURUSD", 31615)]
    [InlineData("GBPUSD", 31485)]
    public void Shipped_april_2025_gives_four_quotes_per_traded_minute_and_skips_the_flat_weekend_bars(string symbol, int tradedMinutes)
    {
        var quotes = ReadShipped(symbol, out var report);

        Assert.Equal(4 * tradedMinutes, quotes.Count);
        Assert.Equal(2 * 43200, report.RowsRead);
        Assert.Equal(43200 - tradedMinutes, report.ZeroVolumeBarsSkipped);
        Assert.Equal(0, report.TotalRejects);
        Assert.Equal(quotes.Count, report.QuotesEmitted);
        Assert.All(quotes, q => Assert.True(q.Ask >= q.Bid));
        Assert.DoesNotContain(quotes, q => q.TimeUtc.DayOfWeek == DayOfWeek.Saturday);
    }

    [Fact]
    public void First_eurusd_bar_is_replayed_open_low_high_close_because_it_closed_up()
    {
        // 01.04.2025 00:00 BID 1.08174,1.08187,1.08173,1.08185,101.58 / ASK 1.08180,1.08191,1.08178,1.08188,102.27
        var quotes = ReadShipped("EURUSD", out _);

        Assert.Equal(new Quote("EURUSD", April1, 1.08174, 1.08180, 101.58 / 4), quotes[0]);
        Assert.Equal(new Quote("EURUSD", April1.AddSeconds(15), 1.08173, 1.08178, 101.58 / 4), quotes[1]);
        Assert.Equal(new Quote("EURUSD", April1.AddSeconds(30), 1.08187, 1.08191, 101.58 / 4), quotes[2]);
        Assert.Equal(new Quote("EURUSD", April1.AddSeconds(45), 1.08185, 1.08188, 101.58 / 4), quotes[3]);
    }

    [Fact]
    public void Last_eurusd_bar_is_replayed_open_high_low_close_because_it_closed_down()
    {
        // 30.04.2025 23:59 BID 1.13232,1.13232,1.13214,1.13219 / ASK 1.13236,1.13238,1.13218,1.13227 (last row, no newline)
        var quotes = ReadShipped("EURUSD", out _);
        var lastMinute = new DateTime(2025, 4, 30, 23, 59, 0, DateTimeKind.Utc);

        Assert.Equal((lastMinute.AddSeconds(15), 1.13232, 1.13238), (quotes[^3].TimeUtc, quotes[^3].Bid, quotes[^3].Ask));
        Assert.Equal((lastMinute.AddSeconds(30), 1.13214, 1.13218), (quotes[^2].TimeUtc, quotes[^2].Bid, quotes[^2].Ask));
        Assert.Equal((lastMinute.AddSeconds(45), 1.13219, 1.13227), (quotes[^1].TimeUtc, quotes[^1].Bid, quotes[^1].Ask));
    }

    [Fact]
    public void Close_only_mode_gives_one_quote_per_traded_minute_at_the_close()
    {
        var quotes = ReadShipped("GBPUSD", out _, BarQuoteMode.CloseOnly);

        Assert.Equal(31485, quotes.Count);
        // 01.04.2025 00:00 GBPUSD BID close 1.29201, ASK close 1.29207
        Assert.Equal((April1.AddSeconds(45), 1.29201, 1.29207), (quotes[0].TimeUtc, quotes[0].Bid, quotes[0].Ask));
    }

    [Fact]
    public void Weekend_flat_bars_are_replayed_when_asked_to()
    {
        var options = DukascopyOptions.ForShippedFiles(TestFiles.ShippedFolder, "EURUSD", "2025-04")
            with { QuotesPerBar = BarQuoteMode.CloseOnly, SkipZeroVolumeBars = false };

        Assert.Equal(43200, new DukascopyFeed(options).ReadAll().Count());
    }

    private const string Header = "Gmt time,Open,High,Low,Close,Volume";

    [Fact]
    public void Crlf_lines_and_a_last_row_without_newline_are_all_read()
    {
        using var files = new TestFiles();
        var bid = files.Write("bid.csv", $"{Header}\r\n01.04.2025 10:00:00.000,1.1,1.2,1.0,1.15,5\r\n01.04.2025 10:01:00.000,1.15,1.15,1.15,1.15,2");
        var ask = files.Write("ask.csv", $"{Header}\r\n01.04.2025 10:00:00.000,1.1,1.2,1.0,1.15,5\r\n01.04.2025 10:01:00.000,1.16,1.16,1.16,1.16,2");

        var quotes = new DukascopyFeed(new DukascopyOptions { Symbol = "X", BidPath = bid, AskPath = ask, QuotesPerBar = BarQuoteMode.CloseOnly })
            .ReadAll().ToList();

        Assert.Equal(2, quotes.Count);
        Assert.Equal(1.16, quotes[1].Ask);
    }

    [Fact]
    public void A_minute_missing_from_the_ask_file_is_reported_with_file_and_line_and_not_emitted()
    {
        using var files = new TestFiles();
        var bid = files.Write("bid.csv", $"{Header}\n01.04.2025 10:00:00.000,1.1,1.1,1.1,1.1,1\n01.04.2025 10:01:00.000,1.1,1.1,1.1,1.1,1\n01.04.2025 10:02:00.000,1.1,1.1,1.1,1.1,1\n");
        var ask = files.Write("ask.csv", $"{Header}\n01.04.2025 10:00:00.000,1.2,1.2,1.2,1.2,1\n01.04.2025 10:02:00.000,1.2,1.2,1.2,1.2,1\n");
        using var reader = new DukascopyQuoteReader(new DukascopyOptions { Symbol = "X", BidPath = bid, AskPath = ask, QuotesPerBar = BarQuoteMode.CloseOnly });

        var minutes = new List<int>();
        while (reader.TryRead(out var quote))
            minutes.Add(quote.TimeUtc.Minute);

        Assert.Equal([0, 2], minutes);
        var example = Assert.Single(reader.Report.Examples);
        Assert.Equal((bid, 3L, RejectReason.UnmatchedMinute), (example.File, example.Line, example.Reason));
    }
}
