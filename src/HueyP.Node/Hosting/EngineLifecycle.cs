using HueyP.Actors;
using HueyP.Engine;

namespace HueyP.Node.Hosting;

/// <summary>
/// Starts and stops the node's engine, possibly many times in one process: a standalone node starts it once; a
/// cluster candidate starts it each time it wins the lease and stops it, in CoordinatedShutdown's phase order
/// (stop-intake, drain, persist, stop-actors), each time it loses or hands over the lease. Start and stop never
/// overlap.
/// </summary>
public sealed class EngineLifecycle(NodeRuntime runtime, Func<Task<EngineHost>> start, Serilog.ILogger log)
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _accepting;

    /// <summary>True while the engine runs and may take commands; false from the first moment of a stop.</summary>
    public bool Accepting => _accepting;

    /// <summary>The epoch of the current term (0 for a standalone node), -1 when no engine runs.</summary>
    public long Epoch { get; private set; } = -1;

    public async Task StartAsync(long epoch, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (runtime.Engine is not null) return;
            var engine = await start().ConfigureAwait(false);
            runtime.Engine = engine;
            Epoch = epoch;
            _accepting = true;
            log.Information("Engine started (epoch {Epoch})", epoch);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(string reason, CancellationToken ct)
    {
        _accepting = false;
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (runtime.Engine is not { } engine) return;
            log.Information("Engine stopping (epoch {Epoch}): {Reason}", Epoch, reason);
            // Intake already refuses (Accepting is false); the engine then flushes its records and its actors stop, in
            // CoordinatedShutdown's phase order.
            await RunAsync(CoordinatedShutdown.PhasePersist, "engine-flush-decision-records", _ => engine.DisposeAsync().AsTask(), ct).ConfigureAwait(false);
            await RunAsync(CoordinatedShutdown.PhaseStopActors, "engine-stop", _ => engine.System.GracefulStop(engine.Engine, Timeout.InfiniteTimeSpan), ct).ConfigureAwait(false);
            runtime.Engine = null;
            log.Information("Engine stopped (epoch {Epoch})", Epoch);
            Epoch = -1;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunAsync(string phase, string name, Func<CancellationToken, Task> task, CancellationToken ct)
    {
        try
        {
            await task(ct).WaitAsync(PhaseTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.Warning(e, "Engine stop task {Task} in phase {Phase} failed; continuing", name, phase);
        }
    }
}
