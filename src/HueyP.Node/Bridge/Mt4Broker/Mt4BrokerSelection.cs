using HueyP.Engine;
using HueyP.Node.Modules;

namespace HueyP.Node.Bridge.Mt4Broker;

/// <summary>
/// <c>hueyp.bridge.broker = mt4</c>: the engine's /user/engine/broker becomes the <see cref="Mt4BrokerActor"/> instead of the
/// paper broker. Only a live engine trades through the EA; a replay keeps the paper broker (its fills follow from the data).
/// </summary>
public static class Mt4BrokerSelection
{
    public static EngineSettings Apply(EngineSettings engine, IEnumerable<INodeModule> modules)
    {
        var bridge = modules.OfType<BridgeModule>().FirstOrDefault(m => m.Enabled);
        if (bridge is null || bridge.Settings.Broker != "mt4" || engine.Mode != EngineMode.Live || engine.Orders is not { } orders) return engine;
        var settings = new Mt4BrokerSettings
        {
            ServerName = bridge.Settings.ServerName,
            OrderTimeToLive = bridge.Settings.OrderTimeToLive,
            CheckInterval = bridge.Settings.Mt4CheckInterval,
            LotSize = bridge.Settings.Mt4LotSize,
        };
        return engine with { Orders = orders with { BrokerProps = wiring => Mt4BrokerActor.Props(settings, wiring.Orders, wiring.Ledger) } };
    }
}
