using HueyP.Engine;

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
    };
}
