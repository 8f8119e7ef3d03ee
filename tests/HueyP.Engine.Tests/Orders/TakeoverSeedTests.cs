using HueyP.Actors;
using HueyP.Domain.Ledger;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Query;
using HueyP.Persistence.Snapshots;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// The warm standby's takeover, in process: an engine trades two days into a journal, a <see cref="LedgerStreamFollower"/>
/// and an <see cref="IntakeStreamFollower"/> read part of it (as a standby's tail would have when the active died), and a
/// second engine starts on the same journal with their seeds. Its ledger must hold exactly what `hueyp state rebuild`
/// folds from every event, and its intake exactly what the intake's own recovery from the journal rebuilds.
/// </summary>
public sealed class TakeoverSeedTests(ITestOutputHelper output)
{
    private sealed record Takeover(string LedgerHash, string StateHash, IntakeStateView Intake, IReadOnlyList<SeedReport> Reports)
    {
        public SeedReport Report(string persistenceId) => Assert.Single(Reports, r => r.PersistenceId == persistenceId);
    }

    [Fact]
    public async Task A_ledger_seeded_from_the_journal_tail_recovers_the_rebuilt_state_and_replays_only_the_events_after_the_seed()
    {
        var db = TestData.TempFile("seeded.db");
        await OrderReplayTests.RunAsync(db, OrderReplayTests.FirstTwoDays, "seed-trading");

        var journal = OrderReplayTests.Journal(db);
        long stored, highest, intakeHighest;
        StateRebuild rebuild;
        await using (var store = JournalFactory.Create(journal, EngineEvents.Serializer()))
        {
            stored = (await store.SnapshotStore.LoadAsync(LedgerActor.Id, SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr ?? 0;
            highest = await store.Journal.ReadHighestSequenceNrAsync(LedgerActor.Id);
            intakeHighest = await store.Journal.ReadHighestSequenceNrAsync(OrderIntakeActor.Id);
            rebuild = await JournalAnalysis.RebuildAsync(store, OrderReplayTests.Orders().Ledger);
        }
        output.WriteLine($"ledger events {highest}, latest stored snapshot #{stored}, intake events {intakeHighest}, rebuilt state {rebuild.StateHash}");
        Assert.True(highest - stored >= 4, $"the two days should leave events after the stored snapshot (#{stored} of #{highest})");
        Assert.True(intakeHighest >= 4, $"the two days should register intents (intake at #{intakeHighest})");

        // The standby read past the stored snapshot but not to the end: the rest comes from the journal.
        var ahead = stored + (highest - stored) / 2;
        var intakeAhead = intakeHighest / 2;
        var seeded = await TakeOverAsync(journal, await FollowAsync(journal, ahead, intakeAhead), "seed-takeover");
        foreach (var report in seeded.Reports) output.WriteLine($"seeded: {report}");
        Assert.Equal(new SeedReport(LedgerActor.Id, ahead, SeedOutcome.Used, ahead, highest - ahead, highest), seeded.Report(LedgerActor.Id));
        Assert.True(highest - ahead < highest - stored, "the seed must spare events a recovery from the stored snapshot replays");
        Assert.Equal(new SeedReport(OrderIntakeActor.Id, intakeAhead, SeedOutcome.Used, intakeAhead, intakeHighest - intakeAhead, intakeHighest),
            seeded.Report(OrderIntakeActor.Id));
        Assert.Equal(rebuild.RebuiltLedgerHash, seeded.LedgerHash);
        Assert.Equal(rebuild.StateHash, seeded.StateHash);

        // A standby that lagged behind the stored snapshot: its ledger seed is ignored and nothing changes. It offers
        // no intake seed, so this intake recovers from the journal alone: what the seeded one must equal.
        var behind = await TakeOverAsync(journal, await FollowAsync(journal, stored - 1, intakeUntil: 0), "seed-behind");
        Assert.Equal(SeedOutcome.StoredSnapshotAsNew, behind.Report(LedgerActor.Id).Outcome);
        Assert.Equal(highest - stored, behind.Report(LedgerActor.Id).EventsReplayed);
        Assert.Equal(rebuild.RebuiltLedgerHash, behind.LedgerHash);
        Assert.DoesNotContain(behind.Reports, r => r.PersistenceId == OrderIntakeActor.Id);
        Assert.Equal(intakeHighest, behind.Intake.SequenceNr);
        Assert.Equal(behind.Intake, seeded.Intake);
    }

    [Fact]
    public async Task An_order_book_seeded_from_the_warm_projection_reads_only_the_journal_after_it_and_equals_the_rebuilt_book()
    {
        var db = TestData.TempFile("book-seed.db");
        await OrderReplayTests.RunAsync(db, OrderReplayTests.FirstTwoDays, "book-trading");
        var journal = OrderReplayTests.Journal(db);
        StateRebuild rebuild;
        var envelopes = new List<EventEnvelope>();
        await using (var store = JournalFactory.Create(journal, EngineEvents.Serializer()))
        {
            rebuild = await JournalAnalysis.RebuildAsync(store, OrderReplayTests.Orders().Ledger);
            await foreach (var envelope in store.ReadJournal.CurrentAllEvents(0)) envelopes.Add(envelope);
        }
        Assert.True(rebuild.Orders >= 2, $"the two days should trade (orders {rebuild.Orders})");

        // The standby read half the journal when the active died.
        var half = envelopes[envelopes.Count / 2].Offset;
        var book = Domain.Orders.OrderBook.Empty;
        foreach (var envelope in envelopes.Where(e => e.Offset <= half)) JournalAnalysis.TryFoldOrder(envelope, ref book);

        var seeded = await BookAfterTakeOverAsync(journal, new ProjectionSeed(OrderBookView.SeedName, half, book), "book-seeded");
        var unseeded = await BookAfterTakeOverAsync(journal, null, "book-unseeded");

        Assert.Equal(new OrderBookLoad(rebuild.Orders, envelopes.Count(e => e.Offset > half), half), seeded.Load);
        Assert.Equal(new OrderBookLoad(rebuild.Orders, envelopes.Count, null), unseeded.Load);
        Assert.Equal(rebuild.OrdersHash, seeded.OrdersHash);
        Assert.Equal(rebuild.OrdersHash, unseeded.OrdersHash);
    }

    private static async Task<(OrderBookLoad? Load, string OrdersHash)> BookAfterTakeOverAsync(JournalSettings journal, ProjectionSeed? seed, string name)
    {
        var system = ActorSystem.Create(name);
        await using var store = JournalFactory.Create(journal, EngineEvents.Serializer());
        try
        {
            var persistence = PersistenceExtension.Install(system, store);
            if (seed is not null) persistence.OfferProjectionSeed(seed);
            var side = new OrderSide(OrderReplayTests.Orders());
            await using var host = await EngineHost.StartAsync(system, TestData.Settings(), orderSide: side);
            return (side.LastBookLoad, (await side.SummarizeAsync()).OrdersHash);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void A_follower_that_missed_an_event_offers_no_seed()
    {
        var follower = new LedgerStreamFollower(new LedgerSettings());
        follower.Apply(Envelope(1, new CashAdjusted(LedgerSettings.OpeningDepositId, 100_000m, "opening balance", DateTime.UnixEpoch)));
        Assert.Equal(1, follower.Seed()?.SequenceNr);

        follower.Apply(Envelope(3, new CashAdjusted("later", 5m, "adjustment", DateTime.UnixEpoch)));

        Assert.Null(follower.Seed());
        Assert.Contains("#2..#2", follower.Unseedable);
    }

    private static EventEnvelope Envelope(long sequenceNr, object @event) =>
        new(sequenceNr, LedgerActor.Id, sequenceNr, @event, DateTime.UnixEpoch, [], @event.GetType().Name);

    /// <summary>
    /// Follows the journal's ledger stream up to <paramref name="ledgerUntil"/> and the intake's up to
    /// <paramref name="intakeUntil"/> (0: not at all), and returns their seeds.
    /// </summary>
    private static async Task<List<RecoverySeed>> FollowAsync(JournalSettings journal, long ledgerUntil, long intakeUntil)
    {
        var ledger = new LedgerStreamFollower(OrderReplayTests.Orders().Ledger);
        var intake = new IntakeStreamFollower();
        await using var store = JournalFactory.Create(journal, EngineEvents.Serializer());
        await foreach (var envelope in store.ReadJournal.CurrentAllEvents(0))
        {
            if (envelope.SequenceNr <= ledgerUntil) ledger.Apply(envelope);
            if (envelope.SequenceNr <= intakeUntil) intake.Apply(envelope);
        }

        Assert.Equal(ledgerUntil, ledger.Seed()?.SequenceNr);
        var seeds = new List<RecoverySeed> { ledger.Seed()! };
        if (intakeUntil == 0) return seeds;
        Assert.Equal(intakeUntil, intake.Seed()?.SequenceNr);
        seeds.Add(intake.Seed()!);
        return seeds;
    }

    /// <summary>A second engine on the same journal, started with the seed: its ledger and the whole order side's hash.</summary>
    private static async Task<Takeover> TakeOverAsync(JournalSettings journal, IReadOnlyList<RecoverySeed> seeds, string name)
    {
        var system = ActorSystem.Create(name);
        await using var store = JournalFactory.Create(journal, EngineEvents.Serializer());
        try
        {
            var persistence = PersistenceExtension.Install(system, store);
            persistence.OfferSeeds(seeds);
            var side = new OrderSide(OrderReplayTests.Orders());
            await using var host = await EngineHost.StartAsync(system, TestData.Settings(), orderSide: side);
            var summary = await side.SummarizeAsync();
            var intake = await side.Intake.Ask<IntakeStateView>(GetIntakeState.Instance, TimeSpan.FromSeconds(30));
            return new Takeover(summary.LedgerHash, summary.StateHash, intake, persistence.SeedReports);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
