using HueyP.Actors;
using HueyP.Engine.Feeds;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// The actor system is killed in the middle of a replay barrier (intents journaled but nothing matched; or matched
/// with reports in flight), then a new system resumes on the same journal: orders, fills and ledger end exactly as in
/// an uninterrupted run — no lost order, no duplicate fill.
/// </summary>
public sealed class BarrierCrashTests(ITestOutputHelper output)
{
    private static readonly Lazy<Task<OrderedReplayResult>> Clean = new(() =>
        OrderReplayTests.RunAsync(TestData.TempFile("clean.db"), OrderReplayTests.FirstTwoDays, "barrier-clean"));

    private sealed class SimulatedCrash() : Exception("the node died inside the barrier");

    /// <summary>OrderedReplay, with the system terminated (no orderly shutdown) at one step of one barrier.</summary>
    private static async Task CrashInsideBarrierAsync(string db, DateTime sliceEnd, string step)
    {
        var system = ActorSystem.Create("barrier-crash");
        await using var store = JournalFactory.Create(OrderReplayTests.Journal(db), EngineEvents.Serializer());
        await store.InitializeAsync();
        PersistenceExtension.Install(system, store);
        var side = new OrderSide(OrderReplayTests.Orders())
        {
            BarrierStep = async (slice, at) =>
            {
                if (slice != sliceEnd || at != step) return;
                await system.Terminate();
                throw new SimulatedCrash();
            },
        };
        var host = await EngineHost.StartAsync(system, TestData.Settings(), orderSide: side);
        await Assert.ThrowsAnyAsync<Exception>(() => host.RunReplayAsync(TestData.AprilBars().Feed, OrderReplayTests.FirstTwoDays));
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Theory]
    [InlineData("intents", 2025, 4, 1, 13, 40)]
    [InlineData("matched", 2025, 4, 2, 9, 0)]
    [InlineData("synced", 2025, 4, 1, 16, 0)]
    public async Task A_replay_killed_inside_a_barrier_and_resumed_ends_exactly_like_an_uninterrupted_one(string step, int y, int m, int d, int h, int min)
    {
        var clean = await Clean.Value;
        var db = TestData.TempFile("barrier.db");

        await CrashInsideBarrierAsync(db, new DateTime(y, m, d, h, min, 0, DateTimeKind.Utc), step);
        var resumed = await OrderReplayTests.RunAsync(db, OrderReplayTests.FirstTwoDays, "barrier-resumed");

        output.WriteLine($"clean {clean.Orders.Orders} orders {clean.Orders.Fills} fills; resumed after {resumed.Orders.ResumedAfterUtc:O}: {resumed.Orders.Orders}/{resumed.Orders.Fills}, replayed intents {resumed.Orders.Replayed}");
        Assert.True(resumed.Orders.Replayed > 0, "the crash should fall after some orders");
        Assert.Equal(clean.Orders.Orders, resumed.Orders.Orders);
        Assert.Equal(clean.Orders.Fills, resumed.Orders.Fills);
        Assert.Equal(clean.Orders.OrdersHash, resumed.Orders.OrdersHash);
        Assert.Equal(clean.Orders.LedgerHash, resumed.Orders.LedgerHash);
        Assert.Equal(clean.Replay.Records.Hash, resumed.Replay.Records.Hash);
    }
}
