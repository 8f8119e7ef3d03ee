using HueyP.Actors;
using HueyP.Engine.Feeds;
using HueyP.MarketData.Feeds;
using HueyP.Persistence;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Orders;

public sealed record OrderedReplayResult(ReplayResult Replay, OrderSideSummary Orders);

/// <summary>
/// A replay with the order side on its own actor system and journal: what `hueyp replay` runs, and what the
/// crash-restart tests run twice. Running it again on the same database resumes after the last completed slice.
/// </summary>
public static class OrderedReplay
{
    public static async Task<OrderedReplayResult> RunAsync(EngineSettings engine, OrderSideSettings orders, JournalSettings journal,
        IReplayableFeed feed, ReplayWindow? window = null, IProgress<ReplayProgress>? progress = null, string systemName = "hueyp-replay",
        CancellationToken ct = default, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var system = ActorSystem.Create(systemName, loggerFactory is null ? null : ActorSystemSettings.Default with { LoggerFactory = loggerFactory });
        await using var store = JournalFactory.Create(journal, EngineEvents.Serializer());
        try
        {
            await store.InitializeAsync(ct).ConfigureAwait(false);
            PersistenceExtension.Install(system, store);
            var side = new OrderSide(orders);
            await using var host = await EngineHost.StartAsync(system, engine, orderSide: side).ConfigureAwait(false);
            var replay = await host.RunReplayAsync(feed, window, progress, ct).ConfigureAwait(false);
            var summary = await side.SummarizeAsync(ct).ConfigureAwait(false);
            return new OrderedReplayResult(replay, summary);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
