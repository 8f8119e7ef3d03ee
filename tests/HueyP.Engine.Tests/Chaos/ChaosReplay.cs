using HueyP.Actors;
using HueyP.Actors.Diagnostics;
using HueyP.Actors.TestKit;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Feeds;
using HueyP.Engine.Intents;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Microsoft.Data.Sqlite;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Chaos;

/// <summary>Where in a slice barrier the planned crashes land.</summary>
public enum ChaosPhase
{
    /// <summary>
    /// Symbols have acknowledged the slice, the order side has not run yet: intents wait in the intake, records wait in
    /// the recorder, the broker has not seen the slice's quotes.
    /// </summary>
    BeforeOrderBarrier,

    /// <summary>Everything of the slice is journaled and acknowledged; the recorder has not committed the slice yet.</summary>
    AfterOrderBarrier,
}

/// <summary>What one (chaotic or clean) replay with orders ended with, and what the chaos did to it.</summary>
public sealed record ChaosRun(
    ReplayResult Replay,
    OrderSideSummary Orders,
    IReadOnlyDictionary<string, int> BrokerSubmissionsByOrder,
    IReadOnlyList<string> Crashed,
    int Barriers,
    int BusyBarriers,
    int Restarts)
{
    public int DuplicateSubmissions => BrokerSubmissionsByOrder.Values.Sum(n => Math.Max(0, n - 1));
}

/// <summary>
/// The chaos suite's harness: a replay with orders on its own actor system and SQLite journal, with an order side that
/// crashes planned actors at planned slice barriers (<see cref="ChaosPlan"/>, seeded). The witness for "no order sent
/// twice" is the broker's own journal: one <see cref="BrokerRequestReceived"/> per client order id.
/// </summary>
internal static class ChaosReplay
{
    /// <summary>Every actor type of the replay tree, as chaos targets under the engine (a trailing /* = one of its children).</summary>
    public static readonly IReadOnlyList<string> ReplayTargets =
    [
        "gates", "agents", "agents/*", "decisions", "symbols", "symbols/*", "feeds", "intake", "orders", "orders/*", "ledger", "broker",
    ];

    public static async Task<ChaosRun> RunAsync(string name, ReplayWindow window, ChaosSchedule schedule, ChaosPhase phase, int seed)
    {
        var db = TestData.TempFile(name + ".db");
        var system = ActorSystem.Create(name);
        await using var store = JournalFactory.Create(Orders.OrderReplayTests.Journal(db), EngineEvents.Serializer());
        try
        {
            await store.InitializeAsync();
            PersistenceExtension.Install(system, store);
            var side = new OrderSide(Orders.OrderReplayTests.Orders());
            var chaos = new ChaosOrderSide(side, new ChaosMonkey(system, null), "/user/engine", schedule, phase, seed);
            ReplayResult replay;
            OrderSideSummary summary;
            int restarts;
            await using (var host = await EngineHost.StartAsync(system, TestData.Settings(), orderSide: chaos))
            {
                replay = await host.RunReplayAsync(TestData.AprilBars().Feed, window);
                summary = await side.SummarizeAsync();
                // Entities re-created by a restarted region start at zero; this counts restarts of the cells alive now.
                restarts = system.Diagnostics.Snapshot("/user")?.Flatten().Sum(n => n.RestartCount) ?? 0;
            }
            var submissions = await BrokerSubmissionsAsync(store);
            return new ChaosRun(replay, summary, submissions, chaos.Crashed, chaos.Barriers, chaos.BusyBarriers, restarts);
        }
        finally
        {
            await system.Terminate();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>How many times each client order id reached the broker, read from the broker's journal.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> BrokerSubmissionsAsync(PersistenceStore store)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await store.Journal.ReplayMessagesAsync(PaperBrokerActor.Id, 1, long.MaxValue, long.MaxValue, repr =>
        {
            if (repr.Payload is BrokerRequestReceived r) counts[r.Request.ClientOrderId] = counts.GetValueOrDefault(r.Request.ClientOrderId) + 1;
        });
        return counts;
    }

    private static IEnumerable<ActorTreeNode> Flatten(this ActorTreeNode node) =>
        new[] { node }.Concat(node.Children.SelectMany(Flatten));
}

/// <summary>
/// Two seeded plans: <see cref="AnyBarrier"/> steps count every slice barrier; <see cref="BusyBarrier"/> steps count only
/// barriers whose slice produced intents — where a crash meets orders in flight, the case that matters and that
/// uniformly drawn points would rarely hit.
/// </summary>
public sealed record ChaosSchedule(IReadOnlyList<ChaosPoint> AnyBarrier, IReadOnlyList<ChaosPoint> BusyBarrier)
{
    public static ChaosSchedule None { get; } = new([], []);

    public int Count => AnyBarrier.Count + BusyBarrier.Count;

    public static ChaosSchedule Plan(int seed, IReadOnlyList<string> targets, int crashesPerTarget, int barriers, int busyBarriers) => new(
        ChaosPlan.Spread(seed, targets, crashesPerTarget, barriers),
        ChaosPlan.Spread(seed * 31 + 1, targets, crashesPerTarget, busyBarriers + 1));
}

/// <summary>The real order side, with planned crashes at its slice barriers (the suite's only hook into the run).</summary>
internal sealed class ChaosOrderSide : IEngineOrderSide
{
    private readonly OrderSide _inner;
    private readonly ChaosMonkey _monkey;
    private readonly string _enginePath;
    private readonly ChaosSchedule _schedule;
    private readonly ChaosPhase _phase;
    private readonly Random _random;
    private readonly CountingSink _sink;
    private readonly List<string> _crashed = [];
    private int _nextAny, _nextBusy;
    private long _intentsSeen;

    public ChaosOrderSide(OrderSide inner, ChaosMonkey monkey, string enginePath, ChaosSchedule schedule, ChaosPhase phase, int seed)
    {
        _inner = inner;
        _monkey = monkey;
        _enginePath = enginePath;
        _schedule = schedule;
        _phase = phase;
        _random = new Random(seed);
        _sink = new CountingSink(inner.Sink);
    }

    public IReadOnlyList<string> Crashed => _crashed;
    public int Barriers { get; private set; }
    public int BusyBarriers { get; private set; }
    public IOrderIntentSink Sink => _sink;

    public void Start(IActorContext engine) => _inner.Start(engine);

    public DecisionEnvironment Environment(DecisionEnvironment template) => _inner.Environment(template);

    public void OnLiveQuote(in Quote quote) => _inner.OnLiveQuote(quote);

    public async Task OnSliceBarrierAsync(DateTime sliceEndUtc, IReadOnlyList<Quote> quotes, CancellationToken ct)
    {
        Barriers++;
        // Symbols hand intents to the sink before they acknowledge the slice: all of this slice's are counted now.
        var intents = Interlocked.Read(ref _sink.Count);
        if (intents > _intentsSeen) BusyBarriers++;
        _intentsSeen = intents;
        if (_phase == ChaosPhase.BeforeOrderBarrier) await CrashDueAsync();
        await _inner.OnSliceBarrierAsync(sliceEndUtc, quotes, ct);
        if (_phase == ChaosPhase.AfterOrderBarrier) await CrashDueAsync();
    }

    private async Task CrashDueAsync()
    {
        foreach (var target in Due(_schedule.AnyBarrier, ref _nextAny, Barriers).Concat(Due(_schedule.BusyBarrier, ref _nextBusy, BusyBarriers)))
        {
            // Before the order barrier the victim first takes what was sent to it (the slice's intents, records),
            // so the crash finds them in its memory, not still in its mailbox.
            var crashed = _phase == ChaosPhase.BeforeOrderBarrier
                ? await _monkey.CrashTargetSettledAsync($"{_enginePath}/{target}", _random, TimeSpan.FromSeconds(10))
                : _monkey.CrashTarget($"{_enginePath}/{target}", _random);
            if (crashed is not null) _crashed.Add(crashed);
        }
    }

    private static List<string> Due(IReadOnlyList<ChaosPoint> plan, ref int next, int step)
    {
        var due = new List<string>();
        while (next < plan.Count && plan[next].Step <= step) due.Add(plan[next++].Target);
        return due;
    }

    private sealed class CountingSink(IOrderIntentSink inner) : IOrderIntentSink
    {
        public long Count;

        public void Submit(OrderIntent intent, DecisionRecord record)
        {
            Interlocked.Increment(ref Count);
            inner.Submit(intent, record);
        }
    }
}
