using HueyP.Engine;
using HueyP.Engine.Orders;

namespace HueyP.Node.Configuration;

/// <summary>The engine a node runs, built from its validated settings.</summary>
public static class EngineConfiguration
{
    /// <summary>The live engine: quotes arrive through the bridge or a feed, decisions and orders as they come.</summary>
    public static EngineSettings LiveEngine(NodeSettings settings) => new()
    {
        Mode = EngineMode.Live,
        Decision = settings.Trading.Decision,
        Symbols = settings.Engine.Symbols,
        ConstraintsPath = settings.Engine.ConstraintsPath,
        RecordsPath = settings.Engine.RecordsPath,
        WarmStart = settings.Engine.WarmStart,
        Orders = OrderSide(settings, settings.Engine.Symbols),
    };

    /// <summary>The paper broker for the symbols, with the configured pre-trade limits in front of it.</summary>
    public static OrderSideSettings OrderSide(NodeSettings settings, IEnumerable<string> symbols, ulong seed = 42)
    {
        var paper = OrderSideSettings.PaperFx(symbols, seed);
        return paper with { Intake = paper.Intake with { PreTrade = settings.Trading.PreTrade }, ResendUnsentWithin = settings.Trading.ResendUnsentWithin,
            PassivateFinishedAfter = settings.Trading.PassivateFinishedOrdersAfter };
    }
}
