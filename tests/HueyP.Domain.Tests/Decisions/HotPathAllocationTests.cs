using HueyP.Domain.Decisions;
using HueyP.Domain.Indicators;
using HueyP.Domain.Market;

namespace HueyP.Domain.Tests.Decisions;

/// <summary>
/// The symbol actor calls the engine on every tick; between bar closes that path must not allocate, or a busy feed
/// turns into garbage-collector pauses. Measured in bytes allocated, not time, so the test is deterministic.
/// </summary>
public class HotPathAllocationTests
{
    [Fact]
    public void Ticks_inside_a_bar_allocate_nothing()
    {
        var engine = new SymbolDecisionEngine("EURUSD", SymbolDecisionEngineTests.Options);
        var start = new DateTime(2025, 4, 1, 9, 0, 0, DateTimeKind.Utc);
        var environment = new DecisionEnvironment { NowUtc = start };
        var quotes = Enumerable.Range(0, 2000).Select(i => new Quote("EURUSD", start.AddMilliseconds(i * 20), 1.1 + i * 1e-7, 1.1001 + i * 1e-7)).ToArray();
        for (var i = 0; i < 1000; i++) engine.OnQuote(quotes[i], environment); // warm-up: JIT, first bar

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < quotes.Length; i++) engine.OnQuote(quotes[i], environment);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Indicator_updates_allocate_nothing()
    {
        var sma = new Sma(20);
        var ema = new Ema(20);
        var rsi = new Rsi(14);
        var atr = new Atr(14);
        var bands = new BollingerBands(20, 2);
        var macd = new Macd();
        var sd = new RollingStandardDeviation(20);
        void Step(int i)
        {
            var x = 100 + Math.Sin(i * 0.1);
            sma.Update(x);
            ema.Update(x);
            rsi.Update(x);
            atr.Update(x + 0.5, x - 0.5, x);
            bands.Update(x);
            macd.Update(x);
            sd.Update(x);
        }

        for (var i = 0; i < 200; i++) Step(i);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 200; i < 5000; i++) Step(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
