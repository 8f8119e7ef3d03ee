using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Breakers;
using HueyP.Engine.Health;
using HueyP.Engine.Ledger;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Engine.Tests.Orders;
using HueyP.Persistence;
using HueyP.Tests.Shared;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Health;

/// <summary>
/// A live engine with the order side on PostgreSQL whose server is stopped while a position is open and quotes keep
/// coming, then started again. The server's own process goes away, so reads fail as well as writes: no engine actor
/// can stop and recover through it. Virtual time for the engine's clocks; the database is real, so the test waits on
/// conditions.
/// </summary>
public sealed class PostgreSqlOutageTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output: output), IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DateTime Start = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private ThrowawayPostgres _server = null!;
    private PersistenceStore _store = null!;
    private DateTime _clock = Start;
    private double _bid = 1.0800;

    public async Task InitializeAsync()
    {
        _server = await ThrowawayPostgres.StartAsync();
        _store = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = _server.ConnectionString, WriterId = "test" },
            EngineEvents.Serializer());
        await _store.InitializeAsync();
        PersistenceExtension.Install(Sys, _store);
    }

    public async Task DisposeAsync()
    {
        await Sys.Terminate();
        await _store.DisposeAsync();
        await _server.DisposeAsync();
    }

    private T Ask<T>(string path, object message)
    {
        Sys.ActorSelection(path).Tell(message, TestActor);
        return ExpectMsg<T>(Wait);
    }

    private ModeStatus Mode() => Ask<ModeStatus>("/user/engine/mode", GetMode.Instance);

    private BreakerStatus JournalBreaker() =>
        Ask<BreakersStatus>("/user/engine/breakers", GetBreakers.Instance).Breakers.Single(b => b.Dependency == Dependencies.Journal).Status;

    /// <summary>The next EURUSD quote, a second after the last, a pip higher: the open long is marked on every one.</summary>
    private void Quote(EngineHost host)
    {
        _clock = _clock.AddSeconds(1);
        _bid += 0.0001;
        host.PublishLive(new Quote("EURUSD", _clock, Math.Round(_bid, 5), Math.Round(_bid + 0.0002, 5)));
    }

    private void Entry(EngineHost host) =>
        host.Sink.Submit(new OrderIntent("EMAX", "EURUSD", Side.Buy, 0.1m, OrderType.Market, _clock.AddMinutes(-5), _clock, _bid, null, _bid - 0.01, _bid + 0.01, 1, "test"), null!);

    /// <summary>One virtual second per step, with a quote: the probe's real database call finishes before the health sample.</summary>
    private void RunUntil(EngineHost host, Func<bool> condition, int maxSeconds, string what)
    {
        for (var i = 0; i < maxSeconds; i++)
        {
            if (condition()) return;
            Quote(host);
            Advance(TimeSpan.FromSeconds(1));
            AwaitCondition(() => !Ask<JournalProbeStatus>("/user/engine/journal-probe", GetJournalProbeStatus.Instance).Busy, Wait, TimeSpan.FromMilliseconds(10));
            Ask<HealthSampled>("/user/engine/health", GetHealth.Instance);
        }
        Assert.True(condition(), $"not within {maxSeconds} virtual seconds: {what}");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: last {value}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Stopping_PostgreSQL_enters_DEGRADED_EXEC_holds_every_decision_and_mark_and_after_it_returns_journals_them_once_and_trades_again()
    {
        await using var host = await EngineHost.StartAsync(Sys, TestData.Settings() with { Mode = EngineMode.Live, Orders = OrderReplayTests.Orders() });
        var desk = host.OrderSide!;

        // Before the outage: an entry is filled and booked, a position is open.
        Quote(host);
        Entry(host);
        var first = (await EventuallyAsync<IntakeStats>(() => desk.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, Wait), s => s.Orders == 1, "the first order")).ClientOrderIds.Single();
        await EventuallyAsync<OrderStatus?>(async () => { Quote(host); return (await desk.OrderAsync(first))?.State.Status; }, s => s == OrderStatus.Filled, "the first fill");
        Assert.Equal(1, (await desk.LedgerAsync()).Fills);

        await _server.StopServerAsync();

        // Marks on the open position and the probe fail: the breaker opens and the ladder leaves NORMAL without the journal.
        RunUntil(host, () => JournalBreaker() == BreakerStatus.Open, 60, "the journal breaker opening");
        RunUntil(host, () => Mode().Mode == Domain.Modes.Mode.DegradedExec, 10, "DEGRADED_EXEC");
        var degraded = Mode();
        Assert.False(degraded.Permissions.AllowsNewEntries);
        Assert.True(degraded.UnjournaledEvents > 0, "the move to DEGRADED_EXEC is decided, not journaled");

        // A new entry arrives during the outage: it waits for the journal (it cannot be sent unjournaled) and is lost neither.
        Entry(host);
        RunUntil(host, () => Mode().Repairs.Any(r => r.LastEvent.Contains("failed", StringComparison.Ordinal)), 60, "the journal runbook failing to verify a stopped server");
        Assert.Equal(Domain.Modes.Mode.DegradedExec, Mode().Mode);

        await _server.StartServerAsync();

        RunUntil(host, () => Mode().Mode == Domain.Modes.Mode.Normal, 400, "NORMAL after the server returned");
        Assert.Equal(0, Mode().UnjournaledEvents);
        Assert.Equal(BreakerStatus.Closed, JournalBreaker());

        // The entry of the outage was decided when the journal took it, still in DEGRADED_EXEC: denied and recorded, not sent.
        var stats = await EventuallyAsync<IntakeStats>(() => desk.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, Wait), s => s.Orders == 2, "the outage's entry recorded");
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.DeniedByReason.GetValueOrDefault(PreTradeReasonCodes.ModeDegradedExec));

        // Nothing lost, nothing twice: the journal rebuilds exactly the ledger and orders the engine holds.
        var held = await desk.SummarizeAsync();
        var rebuilt = await JournalAnalysis.RebuildAsync(_store, desk.Settings.Ledger);
        Assert.True(rebuilt.Consistent);
        Assert.Equal(held.LedgerHash, rebuilt.RebuiltLedgerHash);
        Assert.Equal(held.OrdersHash, rebuilt.OrdersHash);
        Assert.Equal(1, (await desk.LedgerAsync()).Fills);

        // And the engine trades again.
        Entry(host);
        await EventuallyAsync<IntakeStats>(() => desk.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, Wait), s => s.Submitted == 2, "an entry after the repair");
    }
}
