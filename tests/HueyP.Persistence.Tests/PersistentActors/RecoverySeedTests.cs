using HueyP.Actors;
using HueyP.Persistence.Journal;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Snapshots;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.PersistentActors;

/// <summary>
/// Recovery seeds: a warm standby hands its in-memory snapshots to the actors it starts. The seeds here hold balances
/// the journal could never produce (100 per deposit), so a recovered balance says exactly which start was taken.
/// </summary>
public sealed class RecoverySeedTests : HueyP.Actors.TestKit.TestKit, IAsyncLifetime
{
    private const string Id = "s1";
    private const string Pid = "account-" + Id;
    private readonly SqliteBackend _backend = new();
    private PersistenceStore _store = null!;
    private Persistence.PersistentActors.Persistence _persistence = null!;

    public async Task InitializeAsync()
    {
        _store = JournalFactory.Create(_backend.Settings, TestEvents.Serializer());
        await _store.InitializeAsync();
        _persistence = Persistence.PersistentActors.Persistence.Install(Sys, _store);
        // Ten deposits of 1, and the stored snapshot after the third.
        var writes = Enumerable.Range(1, 10).Select(seq => new AtomicWrite(new PersistentRepr(new Deposited(Id, 1), Pid, seq))).ToList();
        Assert.All(await _store.Journal.WriteMessagesAsync(writes), Assert.Null);
        await _store.SnapshotStore.SaveAsync(new SnapshotMetadata(Pid, 3), new AccountSnapshot(Id, 3, ""));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private IActorRef Account() => Sys.ActorOf(Props.Create(() => new AccountActor(Id, TestActor)), $"account-{Guid.NewGuid():N}");

    private static RecoverySeed Seed(long sequenceNr, object? snapshot = null) =>
        new(Pid, sequenceNr, snapshot ?? new AccountSnapshot(Id, sequenceNr * 100, ""));

    [Fact]
    public void A_seed_newer_than_the_stored_snapshot_is_the_start_and_only_the_events_after_it_are_replayed()
    {
        _persistence.OfferSeeds([Seed(7)]);

        Account();

        Assert.Equal(new Recovered(703, 10, 7), ExpectMsg<Recovered>());
        Assert.Equal(new SeedReport(Pid, 7, SeedOutcome.Used, 7, 3, 10), Assert.Single(_persistence.SeedReports));
        Assert.Empty(_persistence.PendingSeeds);
    }

    [Fact]
    public void A_seed_serves_only_the_first_incarnation_after_it_was_offered()
    {
        _persistence.OfferSeeds([Seed(7)]);
        var first = Account();
        ExpectMsg<Recovered>(r => r.FromSnapshot == 7);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);

        Account();

        Assert.Equal(new Recovered(10, 10, 3), ExpectMsg<Recovered>());
    }

    [Fact]
    public async Task A_seed_behind_the_stored_snapshot_is_ignored_and_recovery_starts_from_the_stored_one()
    {
        await _store.SnapshotStore.SaveAsync(new SnapshotMetadata(Pid, 8), new AccountSnapshot(Id, 8, ""));
        _persistence.OfferSeeds([Seed(5)]);

        Account();

        Assert.Equal(new Recovered(10, 10, 8), ExpectMsg<Recovered>());
        Assert.Equal(new SeedReport(Pid, 5, SeedOutcome.StoredSnapshotAsNew, 8, 2, 10), Assert.Single(_persistence.SeedReports));
    }

    [Fact]
    public async Task A_stored_snapshot_as_new_as_the_seed_wins_the_tie()
    {
        await _store.SnapshotStore.SaveAsync(new SnapshotMetadata(Pid, 7), new AccountSnapshot(Id, 7, ""));
        _persistence.OfferSeeds([Seed(7)]);

        Account();

        Assert.Equal(new Recovered(10, 10, 7), ExpectMsg<Recovered>());
        Assert.Equal(SeedOutcome.StoredSnapshotAsNew, Assert.Single(_persistence.SeedReports).Outcome);
    }

    [Fact]
    public void A_seed_claiming_more_events_than_the_journal_holds_is_ignored()
    {
        _persistence.OfferSeeds([Seed(50)]);

        Account();

        Assert.Equal(new Recovered(10, 10, 3), ExpectMsg<Recovered>());
        Assert.Equal(SeedOutcome.AheadOfJournal, Assert.Single(_persistence.SeedReports).Outcome);
    }

    [Fact]
    public void A_seed_under_another_persistence_id_is_never_offered_to_this_actor()
    {
        _persistence.OfferSeeds([Seed(7) with { PersistenceId = "account-other" }]);

        Account();

        Assert.Equal(new Recovered(10, 10, 3), ExpectMsg<Recovered>());
        Assert.Empty(_persistence.SeedReports);
        Assert.Equal(["account-other"], _persistence.PendingSeeds);
        _persistence.WithdrawSeeds();
        Assert.Empty(_persistence.PendingSeeds);
    }

    [Fact]
    public void A_seed_the_snapshot_handler_cannot_take_restarts_the_actor_which_then_recovers_from_the_journal()
    {
        _persistence.OfferSeeds([Seed(7, snapshot: "not an account snapshot")]);

        var account = Account();

        Assert.Equal(new Recovered(10, 10, 3), ExpectMsg<Recovered>());
        Assert.Equal(SeedOutcome.Refused, Assert.Single(_persistence.SeedReports).Outcome);
        account.Tell(new Deposit(5), TestActor);
        Assert.Equal(new Balance(15, 11), ExpectMsg<Balance>());
    }

    [Fact]
    public void A_seed_that_folded_nothing_is_refused_when_offered()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _persistence.OfferSeeds([Seed(0)]));
    }
}
