using Xunit.Abstractions;

namespace HueyP.Actors.TestKit;

/// <summary>
/// Base class for actor tests: an ActorSystem on virtual time (<see cref="Scheduler"/>), a TestActor
/// with expectations, probes, log-event filters and chaos helpers. Dispose terminates the system.
/// </summary>
public abstract class TestKit : TestKitBase, IDisposable
{
    private static int _systemCounter;
    private readonly Setup _setup;
    private int _probeCounter;

    protected TestKit(ActorSystemSettings? settings = null, ITestOutputHelper? output = null, string? systemName = null, bool virtualTime = true)
        : this(Setup.Create(settings, output, systemName, virtualTime)) { }

    private TestKit(Setup setup) : base(setup.System, new ProbeRef(setup.System.Name, "testActor"), setup.DefaultTimeout) =>
        _setup = setup;

    public static TimeSpan DefaultExpectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public IActorRef TestActor => Ref;

    /// <summary>The system's virtual clock; null when the kit was created with real time.</summary>
    public TestScheduler? Scheduler => _setup.Scheduler;

    public TestLogSink LogSink => _setup.Sink;

    public EventFilterFactory EventFilter => new(_setup.Sink, DefaultTimeout);

    public ChaosMonkey Chaos => new(Sys, _setup.Scheduler);

    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, name ?? $"testProbe-{Interlocked.Increment(ref _probeCounter)}", DefaultTimeout);

    /// <summary>Advances virtual time (no-op on real time).</summary>
    public void Advance(TimeSpan duration) => _setup.Scheduler?.Advance(duration);

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        _setup.Sink.Output = null;
        Sys.TerminateNow().Wait(TimeSpan.FromSeconds(10));
    }

    private sealed record Setup(ActorSystem System, TestScheduler? Scheduler, TestLogSink Sink, TimeSpan DefaultTimeout)
    {
        public static Setup Create(ActorSystemSettings? settings, ITestOutputHelper? output, string? systemName, bool virtualTime)
        {
            settings ??= ActorSystemSettings.Default;
            var scheduler = settings.TimeProvider as TestScheduler;
            if (scheduler is null && virtualTime)
            {
                scheduler = new TestScheduler();
                settings = settings with { TimeProvider = scheduler };
            }
            var sink = new TestLogSink(output);
            settings = settings with { LoggerFactory = sink };
            var name = systemName ?? $"test-{Interlocked.Increment(ref _systemCounter)}";
            return new Setup(ActorSystem.Create(name, settings), scheduler, sink, DefaultExpectTimeout);
        }
    }
}
