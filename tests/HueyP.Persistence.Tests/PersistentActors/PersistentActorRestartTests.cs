using HueyP.Actors;
using HueyP.Persistence.Journal;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.PersistentActors;

public sealed record Add(decimal Amount);
public sealed record AddTwo(decimal First, decimal Second);
public sealed record Query;
public sealed record Total(decimal Amount, long SequenceNr);

/// <summary>An account whose handler throws on 666: a restart with a write in flight, as a bug in production would cause.</summary>
public sealed class FragileAccount : ReceivePersistentActor
{
    public static int Incarnations;
    private readonly string _id;
    private decimal _balance;

    public FragileAccount(string id, IActorRef probe, bool crashDuringFirstRecovery = false)
    {
        _id = id;
        var first = Interlocked.Increment(ref Incarnations) == 1;
        Recover<Deposited>(e =>
        {
            _balance += e.Amount;
            if (crashDuringFirstRecovery && first && LastSequenceNr == 1)
            {
                Context.System.Diagnostics.Crash(Self, new InvalidOperationException("crash in the middle of recovery"));
            }
        });
        Recover<RecoveryCompleted>(_ => probe.Tell(new Total(_balance, LastSequenceNr)));
        Action<Deposited> apply = e =>
        {
            if (e.Amount == 666)
            {
                throw new InvalidOperationException("handler bug");
            }

            _balance += e.Amount;
        };
        Command<Add>(c => Persist(new Deposited(_id, c.Amount), apply));
        Command<AddTwo>(c =>
        {
            Persist(new Deposited(_id, c.First), apply);
            Persist(new Deposited(_id, c.Second), apply);
        });
        Command<Query>(_ => Sender.Tell(new Total(_balance, LastSequenceNr)));
    }

    public override string PersistenceId => "fragile-" + _id;
}

public sealed class NoteOnStart : ReceivePersistentActor
{
    public NoteOnStart(IActorRef probe)
    {
        Recover<RecoveryCompleted>(_ => Persist(new Note("started"), _ => probe.Tell("start noted")));
        Command<Query>(_ => Sender.Tell("ok"));
    }

    public override string PersistenceId => "note-on-start";
}

/// <summary>Restarts in the middle of recovery or of a Persist: what a supervisor does to an actor that trades money.</summary>
public sealed class PersistentActorRestartTests : HueyP.Actors.TestKit.TestKit, IAsyncLifetime
{
    private readonly SqliteBackend _backend = new();
    private PersistenceStore _store = null!;
    private Persistence.PersistentActors.Persistence _persistence = null!;

    public async Task InitializeAsync()
    {
        _store = JournalFactory.Create(_backend.Settings, TestEvents.Serializer());
        await _store.InitializeAsync();
        _persistence = Persistence.PersistentActors.Persistence.Install(Sys, _store, new PersistenceSettings { MaxConcurrentRecoveries = 1 });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private IActorRef Account(string id, bool crashDuringFirstRecovery = false) =>
        Sys.ActorOf(Props.Create(() => new FragileAccount(id, TestActor, crashDuringFirstRecovery)), $"{id}-{Guid.NewGuid():N}");

    [Fact]
    public void A_restart_in_the_middle_of_recovery_still_recovers_the_whole_history()
    {
        var seed = Account("r1");
        ExpectMsg<Total>();
        foreach (var amount in new[] { 1m, 2m, 3m })
        {
            seed.Tell(new Add(amount), TestActor);
        }

        seed.Tell(new Query(), TestActor);
        ExpectMsg<Total>(t => t.Amount == 6);
        Watch(seed);
        Sys.Stop(seed);
        ExpectTerminated(seed);
        FragileAccount.Incarnations = 0;

        Account("r1", crashDuringFirstRecovery: true);

        Assert.Equal(new Total(6, 3), ExpectMsg<Total>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_command_held_back_during_a_persist_is_answered_after_the_restart_that_persist_caused()
    {
        var account = Account("r2");
        ExpectMsg<Total>();

        account.Tell(new Add(666), TestActor);
        account.Tell(new Query(), TestActor);

        ExpectMsg<Total>(t => t.Amount == 666 && t.SequenceNr == 1); // the restarted incarnation recovered the stored event
        ExpectMsg<Total>(t => t.Amount == 666);                        // and then answered the held-back query
    }

    [Fact]
    public void Journal_replies_meant_for_the_previous_incarnation_do_not_reach_the_new_one()
    {
        var account = Account("r3");
        ExpectMsg<Total>();

        account.Tell(new AddTwo(666, 1), TestActor);
        ExpectMsg<Total>(t => t.Amount == 667 && t.SequenceNr == 2);
        account.Tell(new Add(10), TestActor);
        account.Tell(new Query(), TestActor);

        Assert.Equal(new Total(677, 3), ExpectMsg<Total>());
    }

    [Fact]
    public void Persist_in_the_RecoveryCompleted_handler_is_allowed_as_in_Akka()
    {
        Sys.ActorOf(Props.Create(() => new NoteOnStart(TestActor)), "note-on-start");

        ExpectMsg("start noted");
    }

    [Fact]
    public void Waiting_for_a_recovery_permit_does_not_count_against_the_recovery_timeout()
    {
        _persistence.RecoveryPermits.Wait(); // another actor is recovering
        var account = Account("r4");
        Watch(account);

        Advance(TimeSpan.FromMinutes(2)); // longer than RecoveryTimeout, all of it queued for the permit
        _persistence.RecoveryPermits.Release();

        ExpectMsg<Total>(t => t.SequenceNr == 0);
    }
}
