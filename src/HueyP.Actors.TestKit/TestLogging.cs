using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace HueyP.Actors.TestKit;

/// <summary>One captured log event; <see cref="ActorPath"/> comes from the kernel's logging scope.</summary>
public sealed record LogEvent(LogLevel Level, string Category, string Message, Exception? Exception, string? ActorPath)
{
    public override string ToString() =>
        $"[{Level}] [{ActorPath ?? Category}] {Message}{(Exception is null ? "" : " " + Exception.GetType().Name + ": " + Exception.Message)}";
}

/// <summary>Logger factory that records every event (for EventFilter) and echoes it to the xunit output.</summary>
public sealed class TestLogSink : ILoggerFactory
{
    [ThreadStatic] private static List<object?>? _scopes;

    private readonly Lock _lock = new();
    private readonly List<LogEvent> _events = new();
    private Action<LogEvent>[] _observers = [];

    public TestLogSink(ITestOutputHelper? output = null) => Output = output;

    public ITestOutputHelper? Output { get; set; }

    public LogLevel MinimumLevel { get; set; } = LogLevel.Debug;

    public IReadOnlyList<LogEvent> Events
    {
        get { lock (_lock) return _events.ToArray(); }
    }

    public ILogger CreateLogger(string categoryName) => new TestLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    internal IDisposable AddObserver(Action<LogEvent> observer)
    {
        lock (_lock) _observers = [.. _observers, observer];
        return new Unsubscriber(() =>
        {
            lock (_lock) _observers = _observers.Where(o => o != observer).ToArray();
        });
    }

    private void Record(LogEvent logEvent)
    {
        Action<LogEvent>[] observers;
        lock (_lock)
        {
            _events.Add(logEvent);
            observers = _observers;
        }
        foreach (var observer in observers) observer(logEvent);
        try
        {
            Output?.WriteLine(logEvent.ToString());
        }
        catch (InvalidOperationException)
        {
            // The test has already finished; xunit refuses late output.
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private sealed class TestLogger(TestLogSink sink, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull
        {
            var scopes = _scopes ??= new List<object?>();
            scopes.Add(state);
            return new Unsubscriber(() => scopes.RemoveAt(scopes.Count - 1));
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= sink.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            sink.Record(new LogEvent(logLevel, category, formatter(state, exception), exception, FindActorPath()));
        }

        private static string? FindActorPath()
        {
            if (_scopes is null) return null;
            for (var i = _scopes.Count - 1; i >= 0; i--)
                if (_scopes[i] is IEnumerable<KeyValuePair<string, object?>> properties)
                    foreach (var property in properties)
                        if (property.Key == "ActorPath") return property.Value?.ToString();
            return null;
        }
    }
}
