using HueyP.Actors;
using HueyP.Domain.Modes;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// A live engine with the order side and the mode ladder: a risk veto (SAFE_MODE) makes the intake deny new entries
/// with MODE_SAFE_MODE, also after a node restart (the mode actor recovers SAFE_MODE and the intake asks it), and an
/// operator's clear lets entries through again. Real journal; the test polls for outcomes, never asserts speed.
/// </summary>
public sealed class LiveModeEnforcementTests
{
    private static readonly DateTime Start = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private sealed class Node : IAsyncDisposable
    {
        private readonly ActorSystem _system;
        private readonly PersistenceStore _store;

        private Node(ActorSystem system, PersistenceStore store, EngineHost host)
        {
            _system = system;
            _store = store;
            Host = host;
        }

        public EngineHost Host { get; }

        public static async Task<Node> StartAsync(string db, string name)
        {
            var system = ActorSystem.Create(name);
            var store = JournalFactory.Create(OrderReplayTests.Journal(db), EngineEvents.Serializer());
            await store.InitializeAsync();
            PersistenceExtension.Install(system, store);
            var settings = TestData.Settings() with { Mode = EngineMode.Live, Orders = OrderReplayTests.Orders() };
            return new Node(system, store, await EngineHost.StartAsync(system, settings, name: "engine"));
        }

        public Task<ModeCommandResult> TellMode(IModeInput input) =>
            _system.ActorSelection("/user/engine/mode").Ask<ModeCommandResult>(input, TimeSpan.FromSeconds(10));

        public void Intent(int minute) =>
            Host.Sink.Submit(new OrderIntent("EMAX", "EURUSD", Side.Buy, 0.1m, OrderType.Market, Start.AddMinutes(minute - 5), Start.AddMinutes(minute), 1.08, null,
                1.07, 1.09, 1, "test"), null!);

        public async Task<IntakeStats> StatsWhen(Func<IntakeStats, bool> condition)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                var stats = await Host.OrderSide!.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, TimeSpan.FromSeconds(10));
                if (condition(stats)) return stats;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"intake never got there: {stats.Orders} orders, {stats.Submitted} submitted");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _system.Terminate();
            await _store.DisposeAsync();
        }
    }

    private static long Denied(IntakeStats s) => s.DeniedByReason.GetValueOrDefault(PreTradeReasonCodes.ModeSafeMode);

    [Fact]
    public async Task SAFE_MODE_denies_new_entries_before_and_after_a_restart_and_an_operator_clear_lets_them_through()
    {
        var db = TestData.TempFile("live-mode.db");
        await using (var node = await Node.StartAsync(db, "mode-1"))
        {
            Assert.Equal(Mode.SafeMode, (await node.TellMode(new RiskVeto(default, "risk", "test veto"))).Mode);
            node.Intent(1);
            var stats = await node.StatsWhen(s => s.Orders == 1);
            Assert.Equal(1, Denied(stats));
            Assert.Equal(0, stats.Submitted);
        }

        await using (var node = await Node.StartAsync(db, "mode-2"))
        {
            // No ModeChanged is published on recovery: the intake learns SAFE_MODE by asking the mode actor.
            node.Intent(2);
            var stats = await node.StatsWhen(s => s.Orders == 2);
            Assert.Equal(2, Denied(stats));

            Assert.Equal(Mode.Normal, (await node.TellMode(new OperatorClear(default, "veto reviewed", "alice"))).Mode);
            node.Intent(3);
            stats = await node.StatsWhen(s => s.Orders == 3);
            Assert.Equal(1, stats.Submitted);
            Assert.Equal(2, Denied(stats));
        }
    }
}
