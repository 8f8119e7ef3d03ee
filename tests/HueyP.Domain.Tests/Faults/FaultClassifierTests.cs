using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using HueyP.Domain.Faults;

namespace HueyP.Domain.Tests.Faults;

public class FaultClassifierTests
{
    private static readonly FaultClassifier Classifier = FaultClassifier.Default;

    public static TheoryData<Exception, FaultCategory, FaultScope, FaultAction, SupervisorDirective> Table => new()
    {
        { new SocketException((int)SocketError.ConnectionReset), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new IOException("pipe broken"), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new TimeoutException(), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new TaskCanceledException("timeout", new TimeoutException()), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new HttpRequestException("down"), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new HttpRequestException("5xx", null, HttpStatusCode.BadGateway), FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Restart },
        { new HttpRequestException("slow down", null, HttpStatusCode.TooManyRequests), FaultCategory.RateLimit, FaultScope.Provider, FaultAction.Retry, SupervisorDirective.Resume },
        { new HttpRequestException("who", null, HttpStatusCode.Unauthorized), FaultCategory.Auth, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Stop },
        { new HttpRequestException("no", null, HttpStatusCode.Forbidden), FaultCategory.Auth, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Stop },
        { new HttpRequestException("no such symbol", null, HttpStatusCode.NotFound), FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, SupervisorDirective.Resume },
        { new HttpRequestException("bad request", null, HttpStatusCode.BadRequest), FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Stop },
        { new JsonException("unexpected token"), FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Stop },
        { new ProviderSchemaException("dukascopy", "field 'bid' missing"), FaultCategory.ProviderSchema, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Stop },
        { new FormatException("1.2.3"), FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, SupervisorDirective.Resume },
        { new FileNotFoundException("EURUSD.bi5"), FaultCategory.BadData, FaultScope.Symbol, FaultAction.SkipSymbol, SupervisorDirective.Resume },
        { new OrderRejectedException("c-1", "market closed"), FaultCategory.OrderRejected, FaultScope.Symbol, FaultAction.SkipSymbol, SupervisorDirective.Resume },
        { new InvalidOperationException("trading disabled"), FaultCategory.BrokerState, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Restart },
        { new InvariantViolationException("ledger.cash", "cash != sum of entries"), FaultCategory.InvariantViolation, FaultScope.Global, FaultAction.HaltTrading, SupervisorDirective.Escalate },
        { new NullReferenceException(), FaultCategory.ProgrammingError, FaultScope.Global, FaultAction.HaltTrading, SupervisorDirective.Escalate },
        { new ArgumentException("bad"), FaultCategory.ProgrammingError, FaultScope.Global, FaultAction.HaltTrading, SupervisorDirective.Escalate },
        { new ArgumentOutOfRangeException("x"), FaultCategory.ProgrammingError, FaultScope.Global, FaultAction.HaltTrading, SupervisorDirective.Escalate },
        { new ObjectDisposedException("socket"), FaultCategory.ProgrammingError, FaultScope.Global, FaultAction.HaltTrading, SupervisorDirective.Escalate },
        { new DivideByZeroException(), FaultCategory.Unknown, FaultScope.Provider, FaultAction.DisableProvider, SupervisorDirective.Escalate },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Exceptions_are_classified_by_the_rule_table(Exception exception, FaultCategory category, FaultScope scope, FaultAction action, SupervisorDirective directive)
    {
        var c = Classifier.Classify(exception);
        Assert.Equal((category, scope, action), (c.Category, c.Scope, c.Action));
        Assert.Equal(directive, Supervision.DirectiveFor(c));
        Assert.False(string.IsNullOrWhiteSpace(c.Rule));
    }

    [Fact]
    public void Wrappers_are_classified_by_what_they_carry()
    {
        Assert.Equal(FaultCategory.TransientNetwork, Classifier.Classify(new AggregateException(new SocketException())).Category);
        Assert.Equal(FaultCategory.InvariantViolation,
            Classifier.Classify(new TargetInvocationException(new InvariantViolationException("x", "y"))).Category);
        // Two different failures in one aggregate: no single meaning, so unknown.
        Assert.Equal(FaultCategory.Unknown, Classifier.Classify(new AggregateException(new SocketException(), new FormatException())).Category);
    }

    [Fact]
    public void A_plain_cancellation_is_not_mistaken_for_a_timeout()
    {
        Assert.Equal(FaultCategory.Unknown, Classifier.Classify(new TaskCanceledException()).Category);
    }

    [Fact]
    public void Registered_rules_take_precedence_and_the_default_is_untouched()
    {
        var custom = new FaultClassification(FaultCategory.BrokerState, FaultScope.Global, FaultAction.HaltTrading, "mt4 trade context busy");
        var extended = Classifier.Register<InvalidOperationException>(custom, e => e.Message.Contains("context busy"));

        Assert.Same(custom, extended.Classify(new InvalidOperationException("trade context busy")));
        Assert.Equal(FaultScope.Provider, extended.Classify(new InvalidOperationException("other")).Scope);
        Assert.Equal(FaultScope.Provider, Classifier.Classify(new InvalidOperationException("trade context busy")).Scope);
        Assert.Equal(Classifier.Rules.Count + 1, extended.Rules.Count);
    }

    [Fact]
    public void Only_invariant_violations_and_programming_errors_require_safe_mode()
    {
        foreach (var category in Enum.GetValues<FaultCategory>())
        {
            var c = new FaultClassification(category, FaultScope.Global, FaultAction.HaltTrading, "t");
            Assert.Equal(category is FaultCategory.InvariantViolation or FaultCategory.ProgrammingError, c.RequiresSafeMode);
        }
    }

    [Fact]
    public void Every_category_has_a_directive_and_the_decider_combines_both_steps()
    {
        foreach (var category in Enum.GetValues<FaultCategory>()) Supervision.DirectiveFor(category);
        var decider = Supervision.Decider(Classifier);
        Assert.Equal(SupervisorDirective.Restart, decider(new SocketException()));
        Assert.Equal(SupervisorDirective.Escalate, decider(new InvariantViolationException("a", "b")));
    }

    [Fact]
    public void Null_input_is_refused_clearly()
    {
        Assert.Throws<ArgumentNullException>(() => Classifier.Classify(null!));
    }
}
