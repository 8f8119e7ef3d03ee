using System.Collections.Immutable;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;

namespace HueyP.Domain.Faults;

/// <summary>One row of the classification table: exceptions of <see cref="ExceptionType"/> (or derived) matching
/// <see cref="When"/> get <see cref="Classification"/>.</summary>
public sealed record FaultRule(Type ExceptionType, Func<Exception, bool>? When, FaultClassification Classification)
{
    public bool Matches(Exception exception) =>
        ExceptionType.IsInstanceOfType(exception) && (When is null || When(exception));
}

/// <summary>
/// Classifies an exception once into category, scope and action by walking an ordered rule table; the first match
/// wins, so specific rows (ObjectDisposedException) sit above their base types (InvalidOperationException).
/// Rules added with <see cref="Register{TException}"/> are consulted before the defaults, so an adapter can refine
/// the taxonomy for its own exceptions without touching this table. Immutable: registering returns a new classifier.
/// </summary>
public sealed class FaultClassifier
{
    private readonly ImmutableList<FaultRule> _rules;

    private FaultClassifier(ImmutableList<FaultRule> rules) => _rules = rules;

    public static FaultClassifier Default { get; } = new(DefaultRules());

    public IReadOnlyList<FaultRule> Rules => _rules;

    public FaultClassifier Register<TException>(FaultClassification classification, Func<TException, bool>? when = null)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(classification);
        Func<Exception, bool>? predicate = when is null ? null : e => when((TException)e);
        return new FaultClassifier(_rules.Insert(0, new FaultRule(typeof(TException), predicate, classification)));
    }

    public FaultClassification Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var unwrapped = Unwrap(exception);
        foreach (var rule in _rules)
            if (rule.Matches(unwrapped)) return rule.Classification;
        return Unknown;
    }

    /// <summary>
    /// Unknown failures are not retried and not ignored: the provider is taken out and the parent decides
    /// (see <see cref="Supervision"/>). Not SAFE_MODE: an unrecognised exception says nothing about our own state.
    /// </summary>
    public static FaultClassification Unknown { get; } =
        new(FaultCategory.Unknown, FaultScope.Provider, FaultAction.DisableProvider, "unclassified exception");

    // Wrappers carry no meaning of their own: classify what they carry.
    private static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                default:
                    return exception;
            }
        }
    }

    private static FaultClassification C(FaultCategory category, FaultScope scope, FaultAction action, string rule) =>
        new(category, scope, action, rule);

    private static FaultRule Rule<T>(FaultClassification c, Func<T, bool>? when = null) where T : Exception =>
        new(typeof(T), when is null ? null : e => when((T)e), c);

    private static int? Status(HttpRequestException e) => e.StatusCode is { } code ? (int)code : null;

    private static ImmutableList<FaultRule> DefaultRules()
    {
        const FaultCategory net = FaultCategory.TransientNetwork;
        const FaultCategory bug = FaultCategory.ProgrammingError;
        return
        [
            // Our own exceptions first: they say exactly what happened.
            Rule<InvariantViolationException>(C(FaultCategory.InvariantViolation, FaultScope.Global, FaultAction.HaltTrading, "InvariantViolationException")),
            Rule<OrderRejectedException>(C(FaultCategory.OrderRejected, FaultScope.Symbol, FaultAction.SkipSymbol, "OrderRejectedException")),
            Rule<ProviderSchemaException>(C(FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, "ProviderSchemaException")),

            // HTTP: the status code decides; no status means the connection itself failed.
            Rule<HttpRequestException>(C(FaultCategory.RateLimit, FaultScope.Provider, FaultAction.Retry, "HTTP 429"), e => Status(e) == 429),
            Rule<HttpRequestException>(C(FaultCategory.Auth, FaultScope.Provider, FaultAction.DisableProvider, "HTTP 401/403"), e => Status(e) is 401 or 403),
            Rule<HttpRequestException>(C(net, FaultScope.Provider, FaultAction.Retry, "HTTP 408/5xx"), e => Status(e) is 408 or >= 500),
            Rule<HttpRequestException>(C(FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, "HTTP 404"), e => Status(e) == 404),
            // Any other 4xx: our request no longer fits the provider's API.
            Rule<HttpRequestException>(C(FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, "HTTP 4xx"), e => Status(e) is >= 400 and < 500),
            Rule<HttpRequestException>(C(net, FaultScope.Provider, FaultAction.Retry, "HttpRequestException without status")),

            Rule<SocketException>(C(net, FaultScope.Provider, FaultAction.Retry, "SocketException")),
            Rule<TimeoutException>(C(net, FaultScope.Provider, FaultAction.Retry, "TimeoutException")),
            // HttpClient reports its own timeout as a cancellation wrapping a TimeoutException; a plain
            // cancellation (shutdown) is not a fault and falls through to Unknown deliberately.
            Rule<TaskCanceledException>(C(net, FaultScope.Provider, FaultAction.Retry, "HttpClient timeout"), e => e.InnerException is TimeoutException),
            // A file that is not there is a data problem, not a network one; other IO errors are transient.
            Rule<FileNotFoundException>(C(FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, "FileNotFoundException")),
            Rule<EndOfStreamException>(C(FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, "EndOfStreamException")),
            Rule<IOException>(C(net, FaultScope.Provider, FaultAction.Retry, "IOException")),

            // A payload that does not parse as JSON is the provider's schema changing under us; a single bad
            // number or date is one bad row of one symbol.
            Rule<JsonException>(C(FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, "JsonException")),
            Rule<FormatException>(C(FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, "FormatException")),
            Rule<OverflowException>(C(FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, "OverflowException")),

            // Bugs: ours to fix, never retried. Specific subclasses of InvalidOperationException come first.
            Rule<ObjectDisposedException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "ObjectDisposedException")),
            Rule<NullReferenceException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "NullReferenceException")),
            Rule<ArgumentException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "ArgumentException")),
            Rule<IndexOutOfRangeException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "IndexOutOfRangeException")),
            Rule<InvalidCastException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "InvalidCastException")),
            Rule<KeyNotFoundException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "KeyNotFoundException")),
            Rule<NotImplementedException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "NotImplementedException")),
            Rule<NotSupportedException>(C(bug, FaultScope.Global, FaultAction.HaltTrading, "NotSupportedException")),

            // The broker (or its bridge) is in a state that refuses the call: not connected, trading disabled.
            Rule<InvalidOperationException>(C(FaultCategory.BrokerState, FaultScope.Provider, FaultAction.DisableProvider, "InvalidOperationException")),
        ];
    }
}
