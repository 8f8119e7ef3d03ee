using HueyP.Domain.Bars;
using HueyP.Domain.Market;

namespace HueyP.Domain.Tests.Bars;

public class BarBuilderTests
{
    private static readonly DateTime T0 = new(2025, 4, 1, 13, 47, 31, 250, DateTimeKind.Utc);

    private static Quote Q(DateTime time, double bid, double ask = double.NaN, double volume = 1) =>
        new("EURUSD", time, bid, double.IsNaN(ask) ? bid + 0.0002 : ask, volume);

    [Theory]
    [InlineData(Timeframe.M1, "2025-04-01T13:47:00")]
    [InlineData(Timeframe.M5, "2025-04-01T13:45:00")]
    [InlineData(Timeframe.M15, "2025-04-01T13:45:00")]
    [InlineData(Timeframe.M30, "2025-04-01T13:30:00")]
    [InlineData(Timeframe.H1, "2025-04-01T13:00:00")]
    [InlineData(Timeframe.H4, "2025-04-01T12:00:00")]
    [InlineData(Timeframe.D1, "2025-04-01T00:00:00")]
    public void Bar_opens_at_floor_of_time_per_timeframe(Timeframe timeframe, string expected)
    {
        var open = timeframe.BarOpen(T0);
        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), open);
        Assert.Equal(DateTimeKind.Utc, open.Kind);
    }

    [Fact]
    public void A_quote_exactly_on_the_boundary_opens_the_next_bar()
    {
        var boundary = new DateTime(2025, 4, 1, 14, 0, 0, DateTimeKind.Utc);
        Assert.Equal(boundary, Timeframe.H1.BarOpen(boundary));
        Assert.Equal(boundary.AddHours(-1), Timeframe.H1.BarOpen(boundary.AddTicks(-1)));
    }

    [Fact]
    public void Local_times_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Timeframe.M1.BarOpen(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Local)));
        Assert.Contains("must be UTC", ex.Message);
    }

    [Fact]
    public void Bar_is_ohlc_of_mid_with_spread_and_tick_count()
    {
        var builder = new BarBuilder("EURUSD", Timeframe.M1);
        var start = new DateTime(2025, 4, 1, 10, 0, 5, DateTimeKind.Utc);
        Assert.Equal(BarUpdate.Opened, builder.Add(Q(start, 1.1000, 1.1002), out _));
        Assert.Equal(BarUpdate.Updated, builder.Add(Q(start.AddSeconds(10), 1.1010, 1.1014), out _));
        Assert.Equal(BarUpdate.Updated, builder.Add(Q(start.AddSeconds(20), 1.0990, 1.0992), out _));
        Assert.Equal(BarUpdate.Updated, builder.Add(Q(start.AddSeconds(50), 1.1004, 1.1006), out _));
        Assert.Equal(BarUpdate.ClosedAndOpened, builder.Add(Q(start.AddSeconds(60), 1.1, 1.1002), out var bar));

        Assert.Equal(new DateTime(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc), bar.OpenTimeUtc);
        Assert.Equal(1.1001, bar.Open, 10);
        Assert.Equal(1.1012, bar.High, 10);
        Assert.Equal(1.0991, bar.Low, 10);
        Assert.Equal(1.1005, bar.Close, 10);
        Assert.Equal(4, bar.TickCount);
        Assert.Equal(0.0004, bar.MaxSpread, 10);
        Assert.Equal((0.0002 + 0.0004 + 0.0002 + 0.0002) / 4, bar.AverageSpread, 10);
        Assert.Equal(4, bar.Volume);
        Assert.Equal(bar.OpenTimeUtc.AddMinutes(1), bar.CloseTimeUtc);
    }

    [Fact]
    public void A_gap_produces_no_phantom_bars()
    {
        var builder = new BarBuilder("EURUSD", Timeframe.M5);
        var start = new DateTime(2025, 4, 4, 20, 58, 0, DateTimeKind.Utc); // Friday close
        builder.Add(Q(start, 1.1), out _);
        var closes = new List<Bar>();
        if (builder.Add(Q(start.AddDays(2).AddHours(1), 1.2), out var closed) == BarUpdate.ClosedAndOpened) closes.Add(closed);
        Assert.Single(closes);
        Assert.Equal(new DateTime(2025, 4, 4, 20, 55, 0, DateTimeKind.Utc), closes[0].OpenTimeUtc);
        Assert.Equal(new DateTime(2025, 4, 6, 21, 55, 0, DateTimeKind.Utc), builder.Current!.Value.OpenTimeUtc);
    }

    [Fact]
    public void Late_and_invalid_quotes_do_not_change_the_bar()
    {
        var builder = new BarBuilder("EURUSD", Timeframe.M1);
        var start = new DateTime(2025, 4, 1, 10, 1, 0, DateTimeKind.Utc);
        builder.Add(Q(start, 1.1), out _);
        Assert.Equal(BarUpdate.IgnoredLate, builder.Add(Q(start.AddSeconds(-1), 1.5), out _));
        Assert.Equal(BarUpdate.IgnoredInvalid, builder.Add(Q(start, double.NaN, 1.1), out _));
        Assert.Equal(BarUpdate.IgnoredInvalid, builder.Add(Q(start, 1.2, 1.1), out _)); // crossed
        Assert.Equal(1.1001, builder.Current!.Value.High, 10);
        Assert.Equal(1, builder.Current!.Value.TickCount);
    }

    [Fact]
    public void Wrong_symbol_is_a_clear_error()
    {
        var builder = new BarBuilder("EURUSD", Timeframe.M1);
        var ex = Assert.Throws<ArgumentException>(() => builder.Add(new Quote("GBPUSD", T0, 1.2, 1.2001), out _));
        Assert.Contains("Bar builder for EURUSD got a quote for GBPUSD", ex.Message);
    }

    [Fact]
    public void Same_quotes_produce_same_bars()
    {
        static List<Bar> Run()
        {
            var builder = new BarBuilder("EURUSD", Timeframe.M1);
            var bars = new List<Bar>();
            var random = new Random(42);
            var t = new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 2000; i++)
            {
                t = t.AddMilliseconds(random.Next(1, 20_000));
                if (builder.Add(new Quote("EURUSD", t, 1.1 + random.NextDouble() * 0.01, 1.1102), out var bar) == BarUpdate.ClosedAndOpened) bars.Add(bar);
            }
            return bars;
        }

        Assert.Equal(Run(), Run());
    }
}
