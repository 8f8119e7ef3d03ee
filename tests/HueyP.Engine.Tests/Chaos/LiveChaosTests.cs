using System.Text.Json;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Domain.Market;
using HueyP.Domain.Modes;
using HueyP.Engine.Health;
using HueyP.Engine.Modes;
using HueyP.Engine.Symbols;
using HueyP.Persistence;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Chaos;

/// <summary>
/// The chaos suite on the live-only part of the tree — the mode ladder (its BackoffSupervisor and the actor), breakers,
/// health sampler, journal probe, repairs, feeds and the live router — crashed at seeded points while the ladder goes
/// DEGRADED_COMM and back, cycle after cycle: every cycle ends NORMAL, and the journal holds exactly the transitions
/// the ladder shows (none lost, none doubled). Virtual time.
/// </summary>
public sealed class LiveChaosTests : JournaledTestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private static readonly IReadOnlyList<string> LiveTargets =
        ["mode", "mode/mode", "breakers", "health", "journal-probe", "repairs", "feeds", "feeds/live", "symbols/*", "symbols", "decisions", "gates", "agents"];

    private readonly ITestOutputHelper _output;

    public LiveChaosTests(ITestOutputHelper output) : base(output, "live-chaos")
    {
        _output = output;
    }

    private ModeStatus Mode()
    {
        Sys.ActorSelection("/user/engine/mode").Tell(GetMode.Instance, TestActor);
        return ExpectMsg<ModeStatus>(Wait);
    }

    /// <summary>Waits until the actor at the path answers again (restarted, recovered, subscribed).</summary>
    private void AwaitAlive(string path)
    {
        AwaitCondition(() =>
        {
            // Ask timeouts run on the virtual clock: wait for the answer in real time instead.
            var actor = Sys.ActorSelection(path).ResolveOne(Wait);
            if (!actor.IsCompletedSuccessfully) return false;
            var identity = actor.Result.Ask<ActorIdentity>(new Identify(null));
            return identity.Wait(TimeSpan.FromSeconds(1)) && identity.Result.Subject is not null;
        }, Wait, TimeSpan.FromMilliseconds(20));
    }

    private string? CrashAndAwait(ChaosMonkey monkey, string target, Random random)
    {
        // A symbol entity exists once the live router has handed it a quote.
        if (target == "symbols/*") AwaitCondition(() => Sys.Diagnostics.Descendants("/user/engine/symbols").Count > 0, Wait);
        var crashed = monkey.CrashTarget("/user/engine/" + target, random);
        AwaitAlive("/user/engine/mode/mode");
        if (crashed is not null) AwaitAlive(crashed[crashed.IndexOf("/user/", StringComparison.Ordinal)..]);
        // The mode actor answers once its recovery is over: then it is subscribed to the EventStream again.
        AwaitCondition(() => { try { Mode(); return true; } catch (Exception) { return false; } }, Wait);
        return crashed;
    }

    private static DateTime PublishQuotes(EngineHost host, DateTime time)
    {
        for (var q = 0; q < 5; q++)
        {
            time = time.AddSeconds(1);
            host.PublishLive(new Quote("EURUSD", time, 1.0800 + q * 1e-4, 1.0801 + q * 1e-4));
        }
        return time;
    }

    private void Pump(int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
            Sys.ActorSelection("/user/engine/health").Tell(GetHealth.Instance, TestActor);
            ExpectMsg<HealthSampled>(Wait);
            Mode();
        }
    }

    [Fact]
    public async Task Crashing_every_live_actor_type_while_the_ladder_degrades_and_recovers_loses_no_transition_and_always_returns_to_NORMAL()
    {
        var cycles = Math.Max((LiveTargets.Count + 1) / 2, int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CHAOS_CRASHES"), out var n) && n > 0 ? n : 0);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CHAOS_SEED"), out var s) ? s : 7;
        // Cycles follow each other within seconds; with the default 10-minute window their route changes would add up
        // to "flapping" (reconnects >= 5) and rightly keep comm below its recovery threshold.
        DegradeSettings.Install(Sys, DegradeSettings.Default with { Health = HealthSamplerSettings.Default with { ReconnectWindow = TimeSpan.FromSeconds(20) } });
        await using var host = await EngineHost.StartAsync(Sys, TestData.Settings() with { Mode = EngineMode.Live });
        var random = new Random(seed);
        var monkey = new ChaosMonkey(Sys, Scheduler);
        var crashed = new List<string>();
        var time = new DateTime(2025, 4, 1, 9, 0, 0, DateTimeKind.Utc);
        Pump(2);

        for (var cycle = 0; cycle < cycles; cycle++)
        {
            Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", $"cycle {cycle}: socket silent"));
            AwaitCondition(() => Mode().Mode == Domain.Modes.Mode.DegradedComm, Wait);
            time = PublishQuotes(host, time);
            if (CrashAndAwait(monkey, LiveTargets[(2 * cycle) % LiveTargets.Count], random) is { } first) crashed.Add(first);
            Assert.Equal(Domain.Modes.Mode.DegradedComm, Mode().Mode);

            Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", $"cycle {cycle}: socket verified"));
            AwaitCondition(() => Mode().VerifiedAt.ContainsKey(Domain.Health.HealthPath.Comm), Wait);
            time = PublishQuotes(host, time);
            if (CrashAndAwait(monkey, LiveTargets[(2 * cycle + 1) % LiveTargets.Count], random) is { } second) crashed.Add(second);

            Pump(25);
            var status = Mode();
            Assert.True(status.Mode == Domain.Modes.Mode.Normal, $"cycle {cycle}: still {status.ModeName}: {string.Join("; ", status.Conditions)}");
        }

        var journaled = new List<string>();
        await Store.Journal.ReplayMessagesAsync(ModeActor.PersistenceIdValue, 1, long.MaxValue, long.MaxValue, r =>
        {
            if (r.Payload is ModeChanged c) journaled.Add(c.ToString());
        });
        Sys.ActorSelection("/user/engine/mode").Tell(new GetModeHistory(), TestActor);
        var history = ExpectMsg<ModeHistory>(Wait).Transitions.Select(t => t.ToString()).ToList();

        var json = JsonSerializer.Serialize(new
        {
            suite = "engine-live", seed, cycles, crashed = crashed.Count, transitions = journaled.Count,
            transitions_equal_history = history.SequenceEqual(journaled), crashed_paths = crashed,
        });
        _output.WriteLine(json);
        if (Environment.GetEnvironmentVariable("HUEYP_CHAOS_OUT") is { Length: > 0 } path) File.AppendAllText(path, json + Environment.NewLine);
        Assert.Equal(LiveTargets.Count, crashed.Select(p => p[(p.IndexOf("/user/engine/", StringComparison.Ordinal) + 13)..]).Select(p => p.StartsWith("symbols/", StringComparison.Ordinal) ? "symbols/*" : p).Distinct().Count());
        Assert.Equal(2 * cycles, journaled.Count);
        Assert.Equal(history, journaled);
    }

    /// <summary>
    /// The live router sends quotes straight to a symbol's entity once the region named it. A restart of the symbols
    /// region stops its entities (their quotes in flight die with them); the router must notice, go back through the
    /// region, which re-creates the entity, and the symbol must keep getting the market: the newest quote reaches it.
    /// </summary>
    [Fact]
    public async Task Crashing_the_symbols_region_in_live_mode_keeps_quotes_flowing_to_the_recreated_entities()
    {
        await using var host = await EngineHost.StartAsync(Sys, TestData.Settings() with { Mode = EngineMode.Live });
        var monkey = new ChaosMonkey(Sys, Scheduler);
        var time = PublishQuotes(host, new DateTime(2025, 4, 1, 9, 0, 0, DateTimeKind.Utc));
        // The router learns the entity on the first quote; from then on it sends to the entity directly.
        AwaitCondition(() => LastQuoteOf("EURUSD") == time, Wait, message: "the first quotes never reached EURUSD");

        Assert.EndsWith("/user/engine/symbols", CrashAndAwait(monkey, "symbols", new Random(1)));
        time = PublishQuotes(host, time);

        AwaitCondition(() => LastQuoteOf("EURUSD") == time, Wait, message: "EURUSD got no quote after the symbols region restarted");
    }

    private DateTime? LastQuoteOf(string symbol)
    {
        Sys.ActorSelection("/user/engine/symbols").Tell(new GetSymbolStatus(symbol), TestActor);
        return ExpectMsg<SymbolStatus>(Wait).LastQuoteUtc;
    }
}
