namespace HueyP.Domain.Market;

/// <summary>
/// Top of book for one symbol at one instant: what every feed produces and every symbol actor consumes.
/// Prices are doubles because indicators run on them at tick rate; money in the ledger is decimal.
/// </summary>
public readonly record struct Quote(string Symbol, DateTime TimeUtc, double Bid, double Ask, double Volume = 0)
{
    public double Mid => (Bid + Ask) * 0.5;
    public double Spread => Ask - Bid;
}
