using HueyP.Domain.Indicators;
using HueyP.Domain.Tests.ReferenceData;

namespace HueyP.Domain.Tests.Indicators;

/// <summary>Our incremental indicators against the Stock Indicators for .NET regression series (see ReferenceData/indicators/NOTICE.md).</summary>
public class ReferenceVectorTests
{
    private const double Tolerance = 1e-9;
    private static readonly IReadOnlyList<ReferenceFiles.DailyBar> Bars = ReferenceFiles.DefaultBars();

    [Fact]
    public void Input_has_502_bars()
    {
        Assert.Equal(502, Bars.Count);
    }

    [Fact]
    public void Sma20_matches_reference_including_warm_up()
    {
        var sma = new Sma(20);
        AssertSeries("indicators/sma.csv", 1, close => { sma.Update(close); return (sma.IsReady, sma.Value); });
    }

    [Fact]
    public void Ema20_matches_reference_including_warm_up()
    {
        var ema = new Ema(20);
        AssertSeries("indicators/ema.csv", 1, close => { ema.Update(close); return (ema.IsReady, ema.Value); });
    }

    [Fact]
    public void Rsi14_matches_reference_including_warm_up()
    {
        var rsi = new Rsi(14);
        AssertSeries("indicators/rsi.csv", 1, close => { rsi.Update(close); return (rsi.IsReady, rsi.Value); });
    }

    [Theory]
    [InlineData(1, "macd")]
    [InlineData(2, "signal")]
    [InlineData(3, "histogram")]
    [InlineData(4, "fastEma")]
    [InlineData(5, "slowEma")]
    public void Macd_12_26_9_matches_reference_column(int column, string name)
    {
        var macd = new Macd(12, 26, 9);
        AssertSeries("indicators/macd.csv", column, close =>
        {
            macd.Update(close);
            return name switch
            {
                "macd" => (macd.IsMacdReady, macd.Value),
                "signal" => (macd.IsReady, macd.Signal),
                "histogram" => (macd.IsReady, macd.Histogram),
                "fastEma" => (!double.IsNaN(macd.FastEma), macd.FastEma),
                _ => (!double.IsNaN(macd.SlowEma), macd.SlowEma),
            };
        });
    }

    private static void AssertSeries(string file, int column, Func<double, (bool Ready, double Value)> step)
    {
        var rows = ReferenceFiles.ReadCsv(file);
        Assert.Equal(Bars.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var expected = ReferenceFiles.Cell(rows[i][column]);
            var (ready, actual) = step(Bars[i].Close);
            if (expected is null)
            {
                Assert.False(ready, $"{file} row {i} ({rows[i][0]}): expected warm-up (no value) but indicator was ready with {actual}");
                continue;
            }

            Assert.True(ready, $"{file} row {i} ({rows[i][0]}): expected {expected} but indicator was not ready");
            Assert.True(Math.Abs(expected.Value - actual) <= Tolerance,
                $"{file} row {i} ({rows[i][0]}): expected {expected:R}, got {actual:R}");
        }
    }
}
