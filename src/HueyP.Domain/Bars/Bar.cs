namespace HueyP.Domain.Bars;

/// <summary>
/// One bar of mid prices for one symbol and timeframe. Spread statistics come from the quotes that built it
/// so a strategy or gate can see how costly the bar was to trade.
/// </summary>
public readonly record struct Bar(
    string Symbol,
    Timeframe Timeframe,
    DateTime OpenTimeUtc,
    double Open,
    double High,
    double Low,
    double Close,
    double AverageSpread,
    double MaxSpread,
    int TickCount,
    double Volume)
{
    public DateTime CloseTimeUtc => OpenTimeUtc + Timeframe.Duration();
}
