using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using HueyP.Actors;
using HueyP.Actors.Sharding;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Engine.Decisions;
using HueyP.Engine.Feeds;
using HueyP.Engine.Gates;
using HueyP.Engine.Intents;
using HueyP.Engine.Orders;
using HueyP.Engine.Symbols;
using HueyP.MarketData.Feeds;

namespace HueyP.Engine;

/// <summary>
/// How a node starts the engine and drives it: <see cref="StartAsync"/> validates the settings, loads the constraint
/// repository and spawns /user/engine; then <see cref="RunReplayAsync"/> (replay mode) or
/// <see cref="PublishLive"/>/<see cref="RunLiveAsync"/> (live mode). Dispose flushes the records and stops the engine.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly EngineStartup _startup;
    private int _replayRunning;
    private int _disposed;

    private EngineHost(ActorSystem system, EngineStartup startup, IActorRef engine, EngineRefs refs)
    {
        System = system;
        _startup = startup;
        Engine = engine;
        Refs = refs;
    }

    public ActorSystem System { get; }
    public EngineSettings Settings => _startup.Settings;
    public IActorRef Engine { get; }
    public EngineRefs Refs { get; }
    public IOrderIntentSink Sink => _startup.Sink;
    public IReadOnlyCollection<string> Symbols => _startup.AllowedSymbols;

    /// <summary>Restarts of all symbol entities so far (each re-warmed from its kept bars).</summary>
    public int SymbolRestarts => _startup.SymbolMemories.Values.Sum(m => Volatile.Read(ref m.Restarts));

    /// <exception cref="EngineStartException">Invalid options, no symbols, or a bad constraint (named with id and column).</exception>
    public static async Task<EngineHost> StartAsync(ActorSystem system, EngineSettings settings, IOrderIntentSink? sink = null,
        ITickObserver? observer = null, string name = "engine", IEngineOrderSide? orderSide = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var symbols = settings.EffectiveSymbols.Distinct(StringComparer.Ordinal).ToList();
        var errors = new List<string>();
        if (symbols.Count == 0) errors.Add("no symbols to trade: set the engine's symbols or hueyp.policy.allowed_symbols");
        errors.AddRange(symbols.Where(s => !ActorPath.IsValidPathElement(s)).Select(s => $"symbol '{s}' is not a valid name"));
        if (settings.ReplaySlice <= TimeSpan.Zero) errors.Add("the replay slice must be positive");

        var journal = Persistence.PersistentActors.Persistence.TryGet(system)?.Store;
        if (orderSide is null && settings.Orders is { } orderSettings)
        {
            if (journal is null) errors.Add("the order side needs a journal: install persistence before starting the engine with Orders set");
            else orderSide = new OrderSide(orderSettings);
        }
        if (orderSide is OrderSide side) side.Mode = settings.Mode;
        var constraints = settings.ConstraintsPath is not { } path ? new ConstraintRepository("options", settings.Decision.Constraints)
            : journal is not null && journal.Serializer.CanSerialize(typeof(ConstraintSetStored))
                ? await ConstraintStore.LoadOrSeedAsync(journal, path, system.Settings.TimeProvider.GetUtcNow().UtcDateTime).ConfigureAwait(false)
                : ConstraintRepository.Load(path);
        // The engine's symbols are the policy's allow-list unless the policy names its own.
        var decision = settings.Decision with
        {
            Constraints = constraints.Constraints,
            Policy = settings.Decision.Policy.AllowedSymbols.Count > 0 ? settings.Decision.Policy : settings.Decision.Policy with { AllowedSymbols = symbols },
        };
        errors.AddRange(decision.Validate().Select(e => e.ToString()));
        if (settings.Mode == EngineMode.Live) errors.AddRange(settings.WarmStart.Validate());
        if (errors.Count > 0) throw new EngineStartException(errors);

        var optionsBySymbol = symbols.ToDictionary(s => s, s => decision with { PipSize = PipSizeOf(s, decision.PipSize) }, StringComparer.Ordinal);
        var startup = new EngineStartup(
            settings with { Decision = decision }, constraints, symbols,
            symbol => optionsBySymbol.TryGetValue(symbol, out var options) ? options : decision,
            new RecorderState(settings.RecordsPath), new ConcurrentDictionary<string, SymbolMemory>(StringComparer.Ordinal),
            sink ?? orderSide?.Sink ?? new CountingIntentSink(), observer, orderSide);
        var engine = system.ActorOf(EngineActor.Props(startup), name);
        var refs = await engine.Ask<EngineRefs>(GetEngineRefs.Instance).ConfigureAwait(false);
        var host = new EngineHost(system, startup, engine, refs);
        if (host.OrderSide is { } orders)
        {
            var load = await orders.LoadBookAsync().ConfigureAwait(false);
            system.Log.Info("order book: {Orders} order(s) from the journal ({Events} event(s) read{Seed})", load.Orders, load.EventsRead,
                load.SeedOffset is { } offset ? $" after the warm projection's offset {offset}" : "");
        }
        // Before the first live quote: whatever the broker did while we were down becomes journal first.
        if (settings.Mode == EngineMode.Live && host.OrderSide is { } live)
        {
            try
            {
                await live.ReconcileAsync("start-up", system.Settings.TimeProvider.GetUtcNow().UtcDateTime).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AskTimeoutException or InvalidOperationException or TaskCanceledException)
            {
                // Trading on a journal that may disagree with the broker is worse than not starting.
                system.Stop(engine);
                throw new EngineStartException([$"start-up reconciliation with the broker failed: {e.Message}"]);
            }
        }
        return host;
    }

    /// <summary>The order side (orders, broker, ledger), when the engine runs one.</summary>
    public OrderSide? OrderSide => _startup.OrderSide as OrderSide;

    /// <summary>JPY crosses quote to two decimals, so their pip is 0.01; every other pair uses the configured pip.</summary>
    private static double PipSizeOf(string symbol, double configured) =>
        symbol.Length == 6 && symbol.EndsWith("JPY", StringComparison.Ordinal) && configured < 0.001 ? 0.01 : configured;

    /// <summary>Replays recorded data through the actor tree on the data's clock and returns the account.</summary>
    public async Task<ReplayResult> RunReplayAsync(IReplayableFeed feed, ReplayWindow? window = null,
        IProgress<ReplayProgress>? progress = null, CancellationToken ct = default)
    {
        if (Settings.Mode != EngineMode.Replay) throw new InvalidOperationException("RunReplayAsync needs an engine started in replay mode.");
        if (Interlocked.Exchange(ref _replayRunning, 1) == 1) throw new InvalidOperationException("A replay is already running on this engine.");
        try
        {
            var router = new ReplayRouter(Settings, Refs, _startup.AllowedSymbols, _startup.OrderSide);
            var result = await router.RunAsync(feed, window ?? ReplayWindow.All, progress, ct).ConfigureAwait(false);
            return result with { SymbolRestarts = SymbolRestarts };
        }
        finally
        {
            Volatile.Write(ref _replayRunning, 0);
        }
    }

    /// <summary>Live: hands one quote to the router, stamped now (the latency clock starts here). Never blocks.</summary>
    public void PublishLive(in Quote quote)
    {
        if (Settings.Mode != EngineMode.Live) throw new InvalidOperationException("PublishLive needs an engine started in live mode.");
        // The broker sees the quote before the symbols decide on it: what they submit now fills on a later quote.
        _startup.OrderSide?.OnLiveQuote(quote);
        Refs.LiveRouter.Tell(new LiveQuote(quote, Stopwatch.GetTimestamp()), ActorRefs.NoSender);
    }

    /// <summary>Live: runs a feed into a bounded channel and publishes what it produces until the feed ends or is cancelled.</summary>
    public async Task RunLiveAsync(IMarketDataFeed feed, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<Quote>(new BoundedChannelOptions(Settings.ChannelCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var producer = feed.RunAsync(channel.Writer, ct).ContinueWith(t => channel.Writer.TryComplete(t.Exception), TaskScheduler.Default);
        await foreach (var quote in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            PublishLive(quote);
        await producer.ConfigureAwait(false);
    }

    /// <summary>The symbols that have a running entity, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> ActiveSymbolsAsync()
    {
        var state = await Refs.Symbols.Ask<CurrentShardRegionState>(GetShardRegionState.Instance).ConfigureAwait(false);
        return state.Shards.SelectMany(s => s.EntityIds).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Commits pending records, flushes the record file and returns the recorder's counts and hash.</summary>
    public Task<RecorderStats> FlushAsync(TimeSpan? timeout = null) =>
        Refs.Decisions.Ask<RecorderStats>(FlushRecords.Instance, timeout ?? Settings.SliceAckTimeout);

    /// <summary>
    /// For a node: flush and close the decision records in CoordinatedShutdown's persist phase, after intake has
    /// stopped and the pipeline drained, before the actors stop.
    /// </summary>
    public void AddShutdownTasks(CoordinatedShutdown shutdown)
    {
        ArgumentNullException.ThrowIfNull(shutdown);
        shutdown.AddTask(CoordinatedShutdown.PhasePersist, "engine-flush-decision-records", async () =>
        {
            await DisposeAsync().ConfigureAwait(false);
            return Done.Instance;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // The system may already be terminating; the writer below still drains what it was given.
        }

        System.Stop(Engine);
        await _startup.Recorder.DisposeAsync().ConfigureAwait(false);
    }
}
