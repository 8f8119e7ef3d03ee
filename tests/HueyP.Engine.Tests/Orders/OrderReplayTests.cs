using HueyP.Engine.Feeds;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Orders;

public sealed class OrderReplayTests(ITestOutputHelper output)
{
    internal static readonly ReplayWindow FirstTwoDays = new(new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 4, 3, 0, 0, 0, DateTimeKind.Utc));

    internal static OrderSideSettings Orders() => OrderSideSettings.PaperFx(["EURUSD", "GBPUSD"]);

    internal static JournalSettings Journal(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new() { Path = path, WriterId = "test" };
    }

    internal static Task<OrderedReplayResult> RunAsync(string db, ReplayWindow window, string name) =>
        OrderedReplay.RunAsync(TestData.Settings(), Orders(), Journal(db), TestData.AprilBars().Feed, window, systemName: name);

    [Fact]
    public async Task A_replay_with_orders_gives_the_same_orders_fills_and_ledger_hash_on_a_fresh_database_every_time()
    {
        var first = await RunAsync(TestData.TempFile("a.db"), FirstTwoDays, "orders-a");
        var second = await RunAsync(TestData.TempFile("b.db"), FirstTwoDays, "orders-b");

        output.WriteLine($"orders {first.Orders.Orders} submitted {first.Orders.Submitted} filled {first.Orders.Filled} fills {first.Orders.Fills} rejects {string.Join(",", first.Orders.RejectsByReason)} realized {first.Orders.RealizedPnl} unrealized {first.Orders.UnrealizedPnl} nav {first.Orders.Nav} hash {first.Orders.StateHash}");
        foreach (var o in first.Orders.Book.Orders.Values) output.WriteLine($"{o.ClientOrderId} {o.Status} {o.Side} {o.Quantity} @{o.AverageFillPrice} {o.LastReason}");
        Assert.True(first.Orders.Orders > 0, "expected orders in two days of M5 bars");
        Assert.True(first.Orders.Fills > 0, "expected fills");
        Assert.Equal(first.Orders.LedgerHash, second.Orders.LedgerHash);
        Assert.Equal(first.Orders.OrdersHash, second.Orders.OrdersHash);
        Assert.Equal(first.Orders.Fills, second.Orders.Fills);
        Assert.Equal(first.Replay.Records.Hash, second.Replay.Records.Hash);
    }
}

public sealed class CrashRestartTests(ITestOutputHelper output)
{
    private static readonly DateTime End = new(2025, 4, 3, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(2025, 4, 1, 13, 37)]
    [InlineData(2025, 4, 2, 9, 1)]
    public async Task A_replay_terminated_at_a_slice_and_resumed_on_the_same_database_ends_exactly_like_an_uninterrupted_one(int y, int m, int d, int h, int min)
    {
        var clean = await OrderReplayTests.RunAsync(TestData.TempFile("clean.db"), OrderReplayTests.FirstTwoDays, "clean");

        var db = TestData.TempFile("crash.db");
        var crashAt = new DateTime(y, m, d, h, min, 0, DateTimeKind.Utc);
        // The first system replays up to the crash slice and is terminated there, with no shutdown of the order side.
        var before = await OrderReplayTests.RunAsync(db, OrderReplayTests.FirstTwoDays with { ToUtc = crashAt }, "before-crash");
        // A new system on the same journal replays from the start: slices up to the last checkpoint only re-warm
        // the symbols (their intents come back as idempotent replays), the rest trades.
        var resumed = await OrderReplayTests.RunAsync(db, OrderReplayTests.FirstTwoDays, "after-crash");

        output.WriteLine($"clean {clean.Orders.Orders} orders {clean.Orders.Fills} fills; before crash {before.Orders.Orders}/{before.Orders.Fills}; resumed after {resumed.Orders.ResumedAfterUtc:O}: {resumed.Orders.Orders}/{resumed.Orders.Fills}, replayed intents {resumed.Orders.Replayed}");
        Assert.True(before.Orders.Orders > 0 && before.Orders.Orders < clean.Orders.Orders, "the crash should fall between orders");
        Assert.Equal(before.Orders.Orders, resumed.Orders.Replayed);
        Assert.Equal(clean.Orders.Orders, resumed.Orders.Orders);
        Assert.Equal(clean.Orders.Fills, resumed.Orders.Fills);
        Assert.Equal(clean.Orders.OrdersHash, resumed.Orders.OrdersHash);
        Assert.Equal(clean.Orders.LedgerHash, resumed.Orders.LedgerHash);
        Assert.Equal(clean.Replay.Records.Hash, resumed.Replay.Records.Hash);
        Assert.True(End > crashAt);
    }
}
