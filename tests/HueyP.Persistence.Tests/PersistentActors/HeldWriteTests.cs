using HueyP.Actors;
using HueyP.Persistence.Journal;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.PersistentActors;

public sealed record HeldCount;
public sealed record WritesHeld(int Events);
public sealed record HeldWritesStored(int Attempts);

/// <summary>An account that outlives a journal outage: writes that fail are held and retried (optionally applied at once).</summary>
public sealed class OutageAccount : ReceivePersistentActor
{
    public static int Incarnations;
    private readonly string _id;
    private readonly bool _applyAtOnce;
    private decimal _balance;

    private readonly IActorRef _observer;

    public OutageAccount(string id, bool applyAtOnce, IActorRef observer)
    {
        _id = id;
        _observer = observer;
        _applyAtOnce = applyAtOnce;
        Interlocked.Increment(ref Incarnations);
        Recover<Deposited>(e => _balance += e.Amount);
        Command<Add>(c => Persist(new Deposited(_id, c.Amount), e => _balance += e.Amount));
        Command<Query>(_ => Sender.Tell(new Total(_balance, LastSequenceNr)));
        Command<HeldCount>(_ => Sender.Tell(HeldEvents));
    }

    protected override void OnWritesHeld(Exception cause, int events, int attempt, TimeSpan retryIn)
    {
        base.OnWritesHeld(cause, events, attempt, retryIn);
        _observer.Tell(new WritesHeld(events));
    }

    protected override void OnHeldWritesStored(int attempts, TimeSpan heldFor)
    {
        base.OnHeldWritesStored(attempts, heldFor);
        _observer.Tell(new HeldWritesStored(attempts));
    }

    protected override bool HoldFailedWrites => true;
    protected override bool AppliesHeldWritesAtOnce => _applyAtOnce;
    public override string PersistenceId => "outage_" + _id;
}

/// <summary>
/// The journal fails every insert (a trigger, as a full or broken disk would) and comes back: an actor that holds its
/// failed writes keeps its state and its commands, stores everything once, in order, and is never restarted.
/// </summary>
public sealed class HeldWriteTests : HueyP.Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly SqliteBackend _backend = new();
    private PersistenceStore _store = null!;

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

    private readonly Actors.TestKit.TestProbe _outage;

    public HeldWriteTests() => _outage = CreateTestProbe("outage");

    private IActorRef Account(string id, bool applyAtOnce = false)
    {
        var observer = _outage.Ref;
        var account = Sys.ActorOf(Props.Create(() => new OutageAccount(id, applyAtOnce, observer)), $"{id}-{Guid.NewGuid():N}");
        account.Tell(new Add(1), TestActor);
        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 1 && t.SequenceNr == 1, Wait);
        return account;
    }

    private Task BreakJournalAsync(string id) => _backend.InstallFailingTriggerAsync("outage_" + id, "disk on fire");

    private Task RepairJournalAsync(string id) => _backend.ExecuteAsync($"DROP TRIGGER fail_outage_{id}");

    private int Held(IActorRef account)
    {
        account.Tell(new HeldCount(), TestActor);
        return ExpectMsg<int>(Wait);
    }

    private async Task<List<decimal>> JournaledAsync(string id)
    {
        var amounts = new List<decimal>();
        await _store.Journal.ReplayMessagesAsync("outage_" + id, 1, long.MaxValue, long.MaxValue, r => amounts.Add(((Deposited)r.Payload).Amount));
        return amounts;
    }

    [Fact]
    public async Task A_write_that_fails_while_the_journal_is_down_is_held_and_stored_once_when_it_returns_with_waiting_commands_answered_after_it()
    {
        OutageAccount.Incarnations = 0;
        var account = Account("h1");
        await BreakJournalAsync("h1");

        account.Tell(new Add(2), TestActor);
        Assert.Equal(1, _outage.ExpectMsg<WritesHeld>(Wait).Events);
        account.Tell(new Query(), TestActor); // waits behind the held Persist, as behind any write in flight

        // Retries fail while the journal is down (250 ms, then 500 ms, 1 s...) and the event stays held.
        Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(1, _outage.ExpectMsg<WritesHeld>(Wait).Events);
        Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, _outage.ExpectMsg<WritesHeld>(Wait).Events);
        Assert.Equal([1m], await JournaledAsync("h1"));

        await RepairJournalAsync("h1");
        Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(4, _outage.ExpectMsg<HeldWritesStored>(Wait).Attempts);
        ExpectMsg<Total>(t => t.Amount == 3 && t.SequenceNr == 2, Wait); // the query that waited
        Assert.Equal(0, Held(account));
        Assert.Equal([1m, 2m], await JournaledAsync("h1"));
        Assert.Equal(1, OutageAccount.Incarnations);
    }

    [Fact]
    public async Task A_held_write_the_journal_committed_although_its_answer_was_lost_is_not_stored_twice()
    {
        var account = Account("h2");
        await BreakJournalAsync("h2");
        account.Tell(new Add(2), TestActor);
        _outage.ExpectMsg<WritesHeld>(Wait);

        // What a commit whose acknowledgement never arrived leaves behind: the event is in the journal already.
        await RepairJournalAsync("h2");
        var results = await _store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new Deposited("h2", 2), "outage_h2", 2))]);
        Assert.All(results, Assert.Null);
        Advance(TimeSpan.FromSeconds(5));
        _outage.ExpectMsg<HeldWritesStored>(Wait);

        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 3 && t.SequenceNr == 2, Wait);
        account.Tell(new Add(4), TestActor);
        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 7 && t.SequenceNr == 3, Wait);
        Assert.Equal([1m, 2m, 4m], await JournaledAsync("h2"));
    }

    [Fact]
    public async Task An_actor_that_applies_held_writes_at_once_keeps_answering_during_the_outage_and_journals_its_decisions_in_order_afterwards()
    {
        var account = Account("h3", applyAtOnce: true);
        await BreakJournalAsync("h3");

        account.Tell(new Add(2), TestActor);
        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 3 && t.SequenceNr == 1, Wait); // decided and answered; journaled up to 1 only
        account.Tell(new Add(4), TestActor);
        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 7 && t.SequenceNr == 1, Wait);
        Assert.Equal(2, Held(account));
        Assert.Equal([1m], await JournaledAsync("h3"));

        await RepairJournalAsync("h3");
        Advance(TimeSpan.FromSeconds(5));

        AwaitCondition(() => Held(account) == 0, Wait);
        account.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 7 && t.SequenceNr == 3, Wait);
        Assert.Equal([1m, 2m, 4m], await JournaledAsync("h3"));
    }

    [Fact]
    public async Task Without_holding_a_failed_write_stops_the_actor_as_in_Akka()
    {
        var account = Sys.ActorOf(Props.Create(() => new FragileAccount("h4", TestActor, false)), "h4");
        ExpectMsg<Total>(Wait);
        await _backend.ExecuteAsync("CREATE TRIGGER fail_fragile BEFORE INSERT ON event_journal WHEN NEW.persistence_id = 'fragile-h4' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
        Watch(account);

        account.Tell(new Add(2), TestActor);

        ExpectTerminated(account, Wait);
    }
}
