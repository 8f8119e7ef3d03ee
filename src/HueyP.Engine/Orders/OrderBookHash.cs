using System.Security.Cryptography;
using System.Text;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;

namespace HueyP.Engine.Orders;

/// <summary>
/// SHA-256 over a canonical rendering of every order (ordinal id order; decimals as in <see cref="LedgerStateHash"/>),
/// so two runs can be compared order by order and fill by fill, not only by their ledgers.
/// </summary>
public static class OrderBookHash
{
    public static string Compute(OrderBook book) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Render(book))));

    public static string Render(OrderBook book)
    {
        var sb = new StringBuilder("orders/v1\n");
        foreach (var (id, o) in book.Orders)
        {
            sb.Append(id).Append('|').Append(o.Status.ToDisplay()).Append('|').Append(o.Side).Append('|').Append(LedgerStateHash.D(o.Quantity))
                .Append('|').Append(LedgerStateHash.D(o.FilledQuantity)).Append('|').Append(LedgerStateHash.D(o.AverageFillPrice))
                .Append('|').Append(LedgerStateHash.D(o.Fees)).Append('|').Append(o.BrokerOrderId).Append('|').Append(string.Join(',', o.FillIds))
                .Append('|').Append(o.OutcomeUnknown ? "unknown" : "").Append('|').Append(o.LastReason).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Ledger and orders together: the one hash a replay summary shows.</summary>
    public static string Combine(string ledgerHash, string ordersHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"ledger={ledgerHash}\norders={ordersHash}\n")));
}
