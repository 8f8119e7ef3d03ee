using Microsoft.Extensions.Logging;
using Xunit;

namespace HueyP.Actors.TestKit;

/// <summary>Builds expectations on log events, as Akka's EventFilter: <c>EventFilter.Exception&lt;T&gt;().ExpectOne(() =&gt; ...)</c>.</summary>
public sealed class EventFilterFactory(TestLogSink sink, TimeSpan defaultTimeout)
{
    public EventFilterSpec Exception<TException>(string? message = null, string? contains = null) where TException : Exception =>
        Exception(typeof(TException), message, contains);

    public EventFilterSpec Exception(Type exceptionType, string? message = null, string? contains = null) =>
        new(sink, defaultTimeout, e => Caused(e.Exception, exceptionType) && TextMatches(e, message, contains), $"exception {exceptionType.Name}");

    public EventFilterSpec Error(string? message = null, string? contains = null, string? source = null) => Level(LogLevel.Error, message, contains, source);

    public EventFilterSpec Warning(string? message = null, string? contains = null, string? source = null) => Level(LogLevel.Warning, message, contains, source);

    public EventFilterSpec Info(string? message = null, string? contains = null, string? source = null) => Level(LogLevel.Information, message, contains, source);

    public EventFilterSpec Debug(string? message = null, string? contains = null, string? source = null) => Level(LogLevel.Debug, message, contains, source);

    /// <summary>Dead letters are logged at Information by the system.</summary>
    public EventFilterSpec DeadLetter(string? contains = null) =>
        new(sink, defaultTimeout, e => e.Level == LogLevel.Information && e.Message.Contains("dead letter") && TextMatches(e, null, contains), "dead letter");

    private EventFilterSpec Level(LogLevel level, string? message, string? contains, string? source) =>
        new(sink, defaultTimeout,
            e => e.Level == level && TextMatches(e, message, contains) && (source is null || e.ActorPath?.EndsWith(source, StringComparison.Ordinal) == true),
            $"{level} event");

    private static bool Caused(Exception? exception, Type type)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (type.IsInstanceOfType(e)) return true;
        return false;
    }

    private static bool TextMatches(LogEvent e, string? message, string? contains) =>
        (message is null || e.Message == message || e.Exception?.Message == message)
        && (contains is null || e.Message.Contains(contains, StringComparison.Ordinal) || e.Exception?.Message.Contains(contains, StringComparison.Ordinal) == true);
}

public sealed class EventFilterSpec(TestLogSink sink, TimeSpan defaultTimeout, Func<LogEvent, bool> matches, string description)
{
    public void ExpectOne(Action block, TimeSpan? timeout = null) => Expect(1, block, timeout);

    public T ExpectOne<T>(Func<T> block, TimeSpan? timeout = null) => Expect(1, block, timeout);

    /// <summary>Runs the block and waits until exactly <paramref name="count"/> matching events were logged.</summary>
    public void Expect(int count, Action block, TimeSpan? timeout = null) => Expect(count, () => { block(); return 0; }, timeout);

    public T Expect<T>(int count, Func<T> block, TimeSpan? timeout = null)
    {
        var matched = 0;
        using var reached = new ManualResetEventSlim(count == 0);
        using (sink.AddObserver(e =>
               {
                   if (matches(e) && Interlocked.Increment(ref matched) >= count) reached.Set();
               }))
        {
            var result = block();
            if (!reached.Wait(timeout ?? defaultTimeout))
                Assert.Fail($"Expected {count} {description}(s) but saw {Volatile.Read(ref matched)}");
            if (Volatile.Read(ref matched) != count)
                Assert.Fail($"Expected {count} {description}(s) but saw {Volatile.Read(ref matched)}");
            return result;
        }
    }
}
