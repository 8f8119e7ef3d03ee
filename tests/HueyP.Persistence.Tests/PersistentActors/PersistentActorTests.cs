using HueyP.Actors;
using HueyP.Persistence.Journal;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.PersistentActors;

public sealed class PersistentActorTests : HueyP.Actors.TestKit.TestKit, IAsyncLifetime
{
    private readonly SqliteBackend _backend = new();
    private PersistenceStore _store = null!;

    public PersistentActorTests(Xunit.Abstractions.ITestOutputHelper output) : base(output: output) { }

    public async Task InitializeAsync()
    {
        _store = JournalFactory.Create(_backend.Settings, TestEvents.Serializer());
        await _store.InitializeAsync();
        Persistence.PersistentActors.Persistence.Install(Sys, _store);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private IActorRef Account(string id) => Sys.ActorOf(Props.Create(() => new AccountActor(id, TestActor)), $"account-{id}-{Guid.NewGuid():N}");

    [Fact]
    public void A_restarted_actor_rebuilds_its_state_from_the_journal()
    {
        var first = Account("a");
        ExpectMsg<Recovered>(r => r.SequenceNr == 0);
        first.Tell(new Deposit(100), TestActor);
        first.Tell(new Deposit(50), TestActor);
        ExpectMsg<Balance>(b => b.Amount == 100);
        ExpectMsg<Balance>(b => b.Amount == 150 && b.SequenceNr == 2);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        Account("a");

        ExpectMsg<Recovered>(r => r.Balance == 150 && r.SequenceNr == 2);
    }

    [Fact]
    public void Commands_sent_during_a_persist_wait_for_its_handler_and_replies_reach_the_original_sender()
    {
        var account = Account("b");
        ExpectMsg<Recovered>();
        var alice = CreateTestProbe("alice");
        var bob = CreateTestProbe("bob");

        account.Tell(new Deposit(10), alice.Ref);
        account.Tell(new GetBalance(), bob.Ref);

        alice.ExpectMsg<Balance>(b => b.Amount == 10);
        bob.ExpectMsg<Balance>(b => b.Amount == 10 && b.SequenceNr == 1);
    }

    [Fact]
    public void Commands_sent_before_recovery_completes_are_processed_after_it()
    {
        var id = "c";
        var seed = Account(id);
        ExpectMsg<Recovered>();
        seed.Tell(new Deposit(7), TestActor);
        ExpectMsg<Balance>();
        Watch(seed);
        Sys.Stop(seed);
        ExpectTerminated(seed);

        var account = Account(id);
        account.Tell(new GetBalance(), TestActor);

        ExpectMsg<Recovered>(r => r.Balance == 7);
        ExpectMsg<Balance>(b => b.Amount == 7);
    }

    [Fact]
    public void Recovery_starts_from_the_latest_snapshot_then_replays_the_events_after_it()
    {
        var account = Account("d");
        ExpectMsg<Recovered>();
        account.Tell(new Deposit(1), TestActor);
        account.Tell(new Deposit(2), TestActor);
        ExpectMsg<Balance>();
        ExpectMsg<Balance>();
        account.Tell(new TakeSnapshot(), TestActor);
        ExpectMsg<SaveSnapshotSuccess>(s => s.Metadata.SequenceNr == 2);
        account.Tell(new Deposit(4), TestActor);
        ExpectMsg<Balance>(b => b.Amount == 7);
        Watch(account);
        Sys.Stop(account);
        ExpectTerminated(account);

        Account("d");

        ExpectMsg<Recovered>(r => r.Balance == 7 && r.SequenceNr == 3 && r.FromSnapshot == 2);
    }

    [Fact]
    public void PersistAll_stores_consecutive_sequence_numbers_in_one_write()
    {
        var account = Account("e");
        ExpectMsg<Recovered>();

        account.Tell(new DepositTwice(5, 6), TestActor);

        ExpectMsg<Balance>(b => b.Amount == 5 && b.SequenceNr == 1);
        ExpectMsg<Balance>(b => b.Amount == 11 && b.SequenceNr == 2);
    }

    [Fact]
    public async Task A_rejected_event_is_skipped_without_a_gap_and_the_actor_goes_on()
    {
        var account = Account("f");
        ExpectMsg<Recovered>();

        account.Tell(new DepositUnstorable("not serializable"), TestActor);
        account.Tell(new Deposit(3), TestActor);

        ExpectMsg<Rejected>(r => r.Reason.Contains("not registered"));
        ExpectMsg<Balance>(b => b.Amount == 3 && b.SequenceNr == 1);
        var report = await _store.Verifier.VerifyAsync("account-f");
        Assert.True(report.IsIntact, report.FirstViolation?.Description);
    }

    [Fact]
    public void DeferAsync_runs_after_the_persist_handlers_called_before_it()
    {
        var account = Account("g");
        ExpectMsg<Recovered>();

        account.Tell(new DepositThenDefer(9), TestActor);

        ExpectMsg<Deferred>(d => d.BalanceAtDefer == 9);
    }

    [Fact]
    public async Task A_failed_write_stops_the_actor_and_a_backoff_supervisor_brings_it_back_with_the_journal_state()
    {
        var props = Props.Create(() => new AccountActor("h", TestActor));
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(Backoff.OnStop(props, "account", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0)), "backoff-h");
        ExpectMsg<Recovered>();
        supervisor.Tell(new Deposit(10), TestActor);
        ExpectMsg<Balance>(b => b.Amount == 10);
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        var child = ExpectMsg<BackoffSupervisor.CurrentChild>().Ref!;
        Watch(child);

        // Another writer takes sequence number 2 behind the actor's back (a split brain): the actor's own write of #2 fails.
        await _store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new Deposited("h", 1000), "account-h", 2))]);
        supervisor.Tell(new Deposit(20), TestActor);
        ExpectTerminated(child);
        Assert.Contains(LogSink.Events, e => e.Exception is JournalConflictException);

        // The supervisor schedules the restart when it sees the stop; keep virtual time moving until it has.
        Recovered? recovered = null;
        for (var i = 0; i < 100 && recovered is null; i++)
        {
            Advance(TimeSpan.FromSeconds(2));
            recovered = ReceiveOne(TimeSpan.FromMilliseconds(50)) as Recovered;
        }

        Assert.Equal(new Recovered(1010, 2, 0), recovered);
    }

    [Fact]
    public async Task An_undecodable_event_fails_recovery_and_stops_the_actor()
    {
        await _store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new Deposited("i", 1), "account-i", 1))]);
        await _backend.ExecuteAsync("UPDATE event_journal SET payload = CAST('not json' AS BLOB) WHERE persistence_id = 'account-i'");

        var account = Account("i");
        Watch(account);

        ExpectTerminated(account);
        Assert.Contains(LogSink.Events, e => e.Exception?.ToString().Contains("account-i") == true);
    }
}
