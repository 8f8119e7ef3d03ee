using System.Collections.Concurrent;

namespace HueyP.Actors.Tests;

public sealed class CoordinatedShutdownSpec : TestKit.TestKit
{
    [Fact]
    public async Task Phases_run_in_order_once_and_then_the_system_terminates()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var order = new ConcurrentQueue<string>();
        Func<string, Func<Task<Done>>> record = name => () => { order.Enqueue(name); return Task.FromResult(Done.Instance); };
        shutdown.AddTask(CoordinatedShutdown.PhasePersist, "persist", record("persist"));
        shutdown.AddTask(CoordinatedShutdown.PhaseStopIntake, "intake", record("intake"));
        shutdown.AddTask(CoordinatedShutdown.PhaseDrain, "drain", record("drain"));
        shutdown.AddTask(CoordinatedShutdown.PhaseStopActors, "actors", record("actors"));
        var first = shutdown.Run(ShutdownReason.Unknown);
        var second = shutdown.Run(ShutdownReason.ClrExit);
        Assert.Same(first, second);
        await first.WaitAsync(DefaultTimeout);
        Assert.Equal(new[] { "intake", "drain", "persist", "actors" }, order);
        Assert.Equal(ShutdownReason.Unknown, shutdown.Reason);
        await Sys.WhenTerminated.WaitAsync(DefaultTimeout);
    }

    [Fact]
    public async Task A_phase_that_times_out_is_logged_and_the_next_phase_still_runs()
    {
        var shutdown = CoordinatedShutdown.Get(Sys, CoordinatedShutdownSettings.Default with
        {
            Phases = [new Phase("stop-intake", TimeSpan.FromSeconds(5)), new Phase("drain", TimeSpan.FromSeconds(5)), new Phase("actor-system-terminate", TimeSpan.FromSeconds(5))],
        });
        var drained = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        shutdown.AddTask("stop-intake", "hangs", async () =>
        {
            started.SetResult();
            await new TaskCompletionSource().Task;
            return Done.Instance;
        });
        shutdown.AddTask("drain", "drain", () => { drained.SetResult(); return Task.FromResult(Done.Instance); });
        var run = EventFilter.Warning(contains: "timed out").ExpectOne(() =>
        {
            var task = shutdown.Run(ShutdownReason.Unknown);
            started.Task.Wait(DefaultTimeout);
            AwaitCondition(() => Scheduler!.PendingTimers > 0); // the phase timeout is armed
            Advance(TimeSpan.FromSeconds(5));
            return task;
        });
        await drained.Task.WaitAsync(DefaultTimeout);
        await run.WaitAsync(DefaultTimeout);
    }

    [Fact]
    public async Task ActorSystem_Terminate_runs_the_coordinated_shutdown()
    {
        var shutdown = CoordinatedShutdown.Get(Sys);
        var ran = new TaskCompletionSource();
        shutdown.AddTask(CoordinatedShutdown.PhaseStopIntake, "x", () => { ran.SetResult(); return Task.FromResult(Done.Instance); });
        await Sys.Terminate().WaitAsync(DefaultTimeout);
        Assert.True(ran.Task.IsCompleted);
        Assert.Equal(ShutdownReason.ActorSystemTerminate, shutdown.Reason);
    }
}
