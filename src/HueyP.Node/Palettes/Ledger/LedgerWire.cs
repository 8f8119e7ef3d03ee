using System.Text.Json.Nodes;
using HueyP.Domain.Ledger;

namespace HueyP.Node.Palettes.Ledger;

/// <summary>One JSON shape for the ledger, whether it comes from a running node or is folded from a journal file.</summary>
public static class LedgerWire
{
    public static JsonObject Of(LedgerState s, string ledgerHash, string source)
    {
        var positions = new JsonObject();
        foreach (var (symbol, p) in s.Positions)
        {
            positions[symbol] = new JsonObject
            {
                ["quantity"] = p.Quantity, ["average_price"] = p.AveragePrice, ["realized_pnl"] = p.RealizedPnl,
                ["unrealized_pnl"] = s.UnrealizedPnlOf(symbol), ["exposure"] = s.ExposureOf(symbol),
                ["mark"] = s.Marks.GetValueOrDefault(symbol)?.Mid,
            };
        }

        return new JsonObject
        {
            ["source"] = source,
            ["cash"] = s.Cash, ["realized_pnl"] = s.RealizedPnl, ["unrealized_pnl"] = s.UnrealizedPnl, ["fees"] = s.FeesPaid, ["nav"] = s.Nav,
            ["daily_pnl"] = s.DailyPnl, ["session_drawdown"] = s.SessionDrawdown, ["max_drawdown"] = s.MaxDrawdown,
            ["gross_exposure"] = s.GrossExposure, ["net_exposure"] = s.NetExposure, ["margin_used"] = s.MarginUsed, ["free_margin"] = s.FreeMargin,
            ["positions"] = positions, ["ledger_hash"] = ledgerHash,
        };
    }
}
