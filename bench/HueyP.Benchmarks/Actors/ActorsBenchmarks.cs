using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using HueyP.Actors;

namespace HueyP.Benchmarks.Actors;

/// <summary>
/// `scripts/bench.sh actors`: the kernel's figures next to a raw System.Threading.Channels ping-pong measured in the
/// same run as this machine's ceiling. Akka.NET 1.5 on this machine kind gave: ping-pong 1 pair ~3.1M msgs/s,
/// 2–8 pairs 6–7.5M, fan-in 4→1 ~4M, spawn ~39k/s, stop ~90k/s, restarts ~95k/s, ~1.7 KB per idle actor.
/// </summary>
public static class ActorsBenchmarks
{
    private static readonly object Ball = new();

    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var seconds = ReadOption(args, "--seconds", 5.0);
        var duration = TimeSpan.FromSeconds(seconds);

        Progress($"channels ping-pong ceiling ({seconds} s)");
        await ChannelPingPongAsync(TimeSpan.FromSeconds(1));
        var ceiling = await ChannelPingPongAsync(duration);

        var pingPong = new JsonObject();
        foreach (var pairs in new[] { 1, 2, 8 })
        {
            Progress($"actor ping-pong, {pairs} pair(s)");
            await ActorPingPongAsync(pairs, TimeSpan.FromSeconds(1));
            pingPong[$"pairs_{pairs}"] = Math.Round(await ActorPingPongAsync(pairs, duration));
        }

        Progress("fan-in 4 -> 1, 10M messages");
        await FanInAsync(1_000_000);
        var fanIn = await FanInAsync(10_000_000);

        Progress("spawn and stop 100k children");
        await SpawnAndStopAsync(10_000);
        var (spawn, stop) = await SpawnAndStopAsync(100_000);

        Progress("restarts");
        await RestartsAsync(20_000);
        var restarts = await RestartsAsync(200_000);

        Progress("bytes per idle actor");
        var bytesPerActor = await BytesPerIdleActorAsync(100_000);

        var ratios = new JsonObject
        {
            ["pingpong_pairs_1"] = Ratio((double)pingPong["pairs_1"]!, ceiling),
            ["pingpong_pairs_2"] = Ratio((double)pingPong["pairs_2"]!, ceiling),
            ["pingpong_pairs_8"] = Ratio((double)pingPong["pairs_8"]!, ceiling),
            ["fanin"] = Ratio(fanIn, ceiling),
            ["spawn"] = Ratio(spawn, ceiling),
            ["stop"] = Ratio(stop, ceiling),
            ["restarts"] = Ratio(restarts, ceiling),
        };

        var akka = new JsonObject
        {
            ["pingpong_pairs_1"] = 3.1e6, ["pingpong_pairs_2_to_8"] = "6e6-7.5e6", ["fanin"] = 4e6,
            ["spawn_per_s"] = 39e3, ["stop_per_s"] = 90e3, ["restarts_per_s"] = 95e3, ["bytes_per_idle_actor"] = 1700,
        };

        return new JsonObject
        {
            ["benchmark"] = "actors",
            ["seconds_per_pingpong"] = seconds,
            ["pingpong_msgs_per_s"] = pingPong,
            ["fanin_msgs_per_s"] = Math.Round(fanIn),
            ["spawn_per_s"] = Math.Round(spawn),
            ["stop_per_s"] = Math.Round(stop),
            ["restarts_per_s"] = Math.Round(restarts),
            ["bytes_per_idle_actor"] = Math.Round(bytesPerActor),
            ["ceiling_channels_pingpong_msgs_per_s"] = Math.Round(ceiling),
            ["ratio_to_ceiling"] = ratios,
            ["akka_net_1_5_same_machine_kind"] = akka,
        };
    }

    private static async Task<double> ChannelPingPongAsync(TimeSpan duration)
    {
        var ping = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pong = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var stop = false;
        long count = 0;
        var sw = Stopwatch.StartNew();
        var echo = Task.Run(async () =>
        {
            while (await ping.Reader.WaitToReadAsync())
            {
                while (ping.Reader.TryRead(out var v))
                {
                    pong.Writer.TryWrite(v);
                }
            }
        });
        var driver = Task.Run(async () =>
        {
            ping.Writer.TryWrite(0);
            while (!Volatile.Read(ref stop))
            {
                await pong.Reader.ReadAsync();
                count += 2;
                ping.Writer.TryWrite(0);
            }

            ping.Writer.Complete();
        });
        await Task.Delay(duration);
        Volatile.Write(ref stop, true);
        var elapsed = sw.Elapsed.TotalSeconds;
        await driver;
        await echo;
        return count / elapsed;
    }

    private sealed class PingPongActor : ReceiveActor
    {
        private readonly StrongBox<bool> _stop;
        public long Count;

        public PingPongActor(StrongBox<bool> stop, PingPongActor[] registry, int index)
        {
            _stop = stop;
            registry[index] = this;
            Receive<object>(_ =>
            {
                Count++;
                if (!Volatile.Read(ref _stop.Value))
                {
                    Sender.Tell(Ball, Self);
                }
            });
        }
    }

    private static async Task<double> ActorPingPongAsync(int pairs, TimeSpan duration)
    {
        var system = ActorSystem.Create("bench");
        var stop = new StrongBox<bool>(false);
        var actors = new PingPongActor[pairs * 2];
        var refs = new IActorRef[pairs * 2];
        for (var i = 0; i < refs.Length; i++)
        {
            var index = i;
            refs[i] = system.ActorOf(Props.Create(() => new PingPongActor(stop, actors, index)), $"p{i}");
        }

        await WaitUntilAsync(() => actors.All(a => a is not null));
        var sw = Stopwatch.StartNew();
        for (var p = 0; p < pairs; p++)
        {
            refs[2 * p].Tell(Ball, refs[2 * p + 1]);
        }

        await Task.Delay(duration);
        Volatile.Write(ref stop.Value, true);
        var elapsed = sw.Elapsed.TotalSeconds;
        await Task.Delay(100);
        var total = actors.Sum(a => Volatile.Read(ref a.Count));
        await system.Terminate();
        return total / elapsed;
    }

    private sealed class CountingReceiver : ReceiveActor
    {
        public CountingReceiver(long expected, TaskCompletionSource done)
        {
            long count = 0;
            ReceiveAny(_ =>
            {
                if (++count == expected)
                {
                    done.SetResult();
                }
            });
        }
    }

    private static async Task<double> FanInAsync(long messages)
    {
        var system = ActorSystem.Create("bench");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = system.ActorOf(Props.Create(() => new CountingReceiver(messages, done)), "receiver");
        const int senders = 4;
        var perSender = messages / senders;
        var start = new Barrier(senders + 1);
        var threads = Enumerable.Range(0, senders).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (long i = 0; i < perSender; i++)
            {
                receiver.Tell(Ball, ActorRefs.NoSender);
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        start.SignalAndWait();
        var sw = Stopwatch.StartNew();
        await done.Task;
        var elapsed = sw.Elapsed.TotalSeconds;
        await system.Terminate();
        return messages / elapsed;
    }

    private sealed record SpawnChildren(int Count);

    private sealed record StopChildren;

    private sealed class IdleChild : ReceiveActor
    {
        private readonly Counters _counters;

        public IdleChild(Counters counters)
        {
            _counters = counters;
            counters.Started();
        }

        protected override void PostStop() => _counters.Stopped();
    }

    private sealed class Counters(int expected)
    {
        private int _started;
        private int _stopped;
        public TaskCompletionSource AllStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource AllStopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Started()
        {
            if (Interlocked.Increment(ref _started) == expected) AllStarted.SetResult();
        }

        public void Stopped()
        {
            if (Interlocked.Increment(ref _stopped) == expected) AllStopped.SetResult();
        }
    }

    private sealed class SpawningParent : ReceiveActor
    {
        public SpawningParent(Counters counters)
        {
            var childProps = Props.Create(() => new IdleChild(counters));
            Receive<SpawnChildren>(m =>
            {
                for (var i = 0; i < m.Count; i++)
                {
                    Context.ActorOf(childProps, "c" + i);
                }
            });
            Receive<StopChildren>(_ =>
            {
                foreach (var child in Context.GetChildren())
                {
                    Context.Stop(child);
                }
            });
        }
    }

    private static async Task<(double Spawn, double Stop)> SpawnAndStopAsync(int children)
    {
        var system = ActorSystem.Create("bench");
        var counters = new Counters(children);
        var parent = system.ActorOf(Props.Create(() => new SpawningParent(counters)), "parent");
        var sw = Stopwatch.StartNew();
        parent.Tell(new SpawnChildren(children));
        await counters.AllStarted.Task;
        var spawn = children / sw.Elapsed.TotalSeconds;
        sw.Restart();
        parent.Tell(new StopChildren());
        await counters.AllStopped.Task;
        var stop = children / sw.Elapsed.TotalSeconds;
        await system.Terminate();
        return (spawn, stop);
    }

    private sealed class AlwaysFailing : ReceiveActor
    {
        private readonly Counters _restarts;

        public AlwaysFailing(Counters restarts)
        {
            _restarts = restarts;
            ReceiveAny(_ => throw new InvalidOperationException("benchmark failure"));
        }

        protected override void PostRestart(Exception reason) => _restarts.Started();
    }

    private sealed class RestartingParent : ReceiveActor
    {
        public RestartingParent(Counters restarts, int messages)
        {
            var child = Context.ActorOf(Props.Create(() => new AlwaysFailing(restarts)), "failing");
            Receive<SpawnChildren>(_ =>
            {
                for (var i = 0; i < messages; i++)
                {
                    child.Tell(Ball);
                }
            });
        }

        protected override SupervisorStrategy SupervisorStrategy() =>
            new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart);
    }

    private static async Task<double> RestartsAsync(int restarts)
    {
        var system = ActorSystem.Create("bench", ActorSystemSettings.Default with { LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance });
        var counters = new Counters(restarts);
        var parent = system.ActorOf(Props.Create(() => new RestartingParent(counters, restarts)), "parent");
        var sw = Stopwatch.StartNew();
        parent.Tell(new SpawnChildren(0));
        await counters.AllStarted.Task;
        var rate = restarts / sw.Elapsed.TotalSeconds;
        await system.Terminate();
        return rate;
    }

    private static async Task<double> BytesPerIdleActorAsync(int children)
    {
        var system = ActorSystem.Create("bench");
        var counters = new Counters(children);
        var parent = system.ActorOf(Props.Create(() => new SpawningParent(counters)), "parent");
        await WaitUntilAsync(() => parent is not null);
        var before = Measure();
        parent.Tell(new SpawnChildren(children));
        await counters.AllStarted.Task;
        await Task.Delay(200);
        var after = Measure();
        GC.KeepAlive(parent);
        await system.Terminate();
        return (after - before) / (double)children;

        static long Measure()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return GC.GetTotalMemory(forceFullCollection: true);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(1);
        }
    }

    private static double Ratio(double value, double ceiling) => Math.Round(value / ceiling, 3);

    private static double ReadOption(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static void Progress(string what) => Console.Error.WriteLine($"[bench actors] {what}");
}
