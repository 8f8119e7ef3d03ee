using HueyP.Domain.Trading;

namespace HueyP.Domain.Strategy;

/// <summary>The indicator values a decision was based on, recorded so a decision can be explained and replayed.</summary>
public readonly record struct IndicatorSnapshot(double Close, double FastEma, double SlowEma, double Rsi, double Atr)
{
    public bool IsComplete => double.IsFinite(FastEma) && double.IsFinite(SlowEma) && double.IsFinite(Rsi) && double.IsFinite(Atr);
}

/// <summary>
/// A strategy's wish to enter, on a closed bar. Stop-loss and take-profit are absolute prices derived from ATR
/// distances, so every signal carries its own exit plan.
/// </summary>
public sealed record Signal(
    string Strategy,
    string Symbol,
    Side Side,
    DateTime BarTimeUtc,
    double EntryReference,
    double StopLoss,
    double TakeProfit,
    double Confidence,
    IndicatorSnapshot Indicators)
{
    public double StopDistance => Math.Abs(EntryReference - StopLoss);
    public double TakeProfitDistance => Math.Abs(TakeProfit - EntryReference);
}
