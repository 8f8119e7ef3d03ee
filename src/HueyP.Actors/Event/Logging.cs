using Microsoft.Extensions.Logging;

namespace HueyP.Actors.Event;

/// <summary>Akka-style logging facade; every event carries the actor path as the scope property <c>ActorPath</c>.</summary>
public interface ILoggingAdapter
{
    bool IsEnabled(LogLevel level);

    void Debug(string template, params object?[] args);

    void Info(string template, params object?[] args);

    void Warning(string template, params object?[] args);

    void Warning(Exception? exception, string template, params object?[] args);

    void Error(string template, params object?[] args);

    void Error(Exception? exception, string template, params object?[] args);
}

public static class LoggingExtensions
{
    public static ILoggingAdapter GetLogger(this IActorContext context) =>
        context is ActorCell cell ? cell.GetLogger() : throw new ArgumentException("Not an actor context.", nameof(context));
}

internal sealed class LoggingAdapter : ILoggingAdapter
{
    private readonly ILogger _logger;
    private readonly ActorPathScope _scope;

    public LoggingAdapter(ILoggerFactory factory, string category, ActorPath path)
    {
        _logger = factory.CreateLogger(category);
        _scope = new ActorPathScope(path);
    }

    public bool IsEnabled(LogLevel level) => _logger.IsEnabled(level);

    public void Debug(string template, params object?[] args) => Log(LogLevel.Debug, null, template, args);

    public void Info(string template, params object?[] args) => Log(LogLevel.Information, null, template, args);

    public void Warning(string template, params object?[] args) => Log(LogLevel.Warning, null, template, args);

    public void Warning(Exception? exception, string template, params object?[] args) => Log(LogLevel.Warning, exception, template, args);

    public void Error(string template, params object?[] args) => Log(LogLevel.Error, null, template, args);

    public void Error(Exception? exception, string template, params object?[] args) => Log(LogLevel.Error, exception, template, args);

    private void Log(LogLevel level, Exception? exception, string template, object?[] args)
    {
        if (!_logger.IsEnabled(level)) return;
        using (_logger.BeginScope(_scope))
        {
#pragma warning disable CA2254 // templates come from the caller, as with ILogger itself
            _logger.Log(level, exception, template, args);
#pragma warning restore CA2254
        }
    }
}

/// <summary>Scope state exposing <c>ActorPath</c> as a structured property.</summary>
public sealed class ActorPathScope(ActorPath path) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public ActorPath Path { get; } = path;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("ActorPath", Path.ToString()) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => 1;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ActorPath:{Path}";
}
