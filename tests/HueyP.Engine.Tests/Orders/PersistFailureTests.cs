using HueyP.Actors;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Engine.Health;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// A journal that refuses writes (another connection holds SQLite's write lock): the intake, an order and the ledger
/// each publish <see cref="JournalWriteFailed"/> on the EventStream when their write fails, so the journal breaker
/// learns of it at once instead of at its next probe. Real database calls: the test waits on messages, not on time.
/// </summary>
public sealed class PersistFailureTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly DateTime Bar = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private readonly string _db = TestData.TempFile("persist-failure.db");
    private readonly PersistenceStore _store;

    public PersistFailureTests(ITestOutputHelper output) : base(output: output)
    {
        // A short busy timeout: a locked journal fails a write in 200 ms instead of 10 s.
        var settings = OrderReplayTests.Journal(_db) with { SqliteBusyTimeout = TimeSpan.FromMilliseconds(200) };
        _store = JournalFactory.Create(settings, OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    private async Task<SqliteConnection> LockJournalAsync()
    {
        var locker = new SqliteConnection($"Data Source={_db};Pooling=False");
        await locker.OpenAsync();
        await using var begin = locker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        await begin.ExecuteNonQueryAsync();
        return locker;
    }

    [Fact]
    public async Task The_intake_an_order_and_the_ledger_report_a_failed_journal_write_on_the_EventStream()
    {
        var failures = CreateTestProbe();
        Sys.EventStream.Subscribe(failures.Ref, typeof(JournalWriteFailed));
        var orders = Sys.ActorOf(OrderRegion.Props(() => ActorRefs.Nobody, null), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings(), orders), "intake");
        var ledger = Sys.ActorOf(LedgerActor.Props(new LedgerSettings()), "ledger");
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 1);
        // Every actor recovered (and the ledger opened its account) while the journal still took writes.
        intake.Tell(GetIntakeStats.Instance, TestActor);
        ExpectMsg<IntakeStats>(Wait);
        orders.Tell(new GetOrderState(id), TestActor);
        Assert.Null(ExpectMsg<OrderStateReply>(Wait).State);
        ledger.Tell(GetLedgerState.Instance, TestActor);
        ExpectMsg<LedgerView>(Wait);

        await using var locker = await LockJournalAsync();

        intake.Tell(new SetKillSwitch(true, false, "test", "alice", Bar), TestActor);
        Assert.Equal(OrderIntakeActor.Id, failures.ExpectMsg<JournalWriteFailed>(Wait).PersistenceId);
        var init = (OrderInitialized)OrderMachine.Initialize(OrderActorTests.Intent(Bar.AddMinutes(5)), id, Bar.AddMinutes(5)).Events[0];
        orders.Tell(new CreateOrder(init, PreTradeVerdict.Pass), TestActor);
        Assert.Equal("order-" + id, failures.ExpectMsg<JournalWriteFailed>(Wait).PersistenceId);
        ledger.Tell(new BookLedgerEvent(new CashAdjusted("adj-1", 10m, "test", Bar)), TestActor);
        var ledgerFailure = failures.ExpectMsg<JournalWriteFailed>(Wait);
        Assert.Equal(LedgerActor.Id, ledgerFailure.PersistenceId);
        Assert.False(string.IsNullOrEmpty(ledgerFailure.Cause));
    }
}
