using Xunit.Abstractions;
using Xunit.Sdk;

namespace HueyP.Persistence.Tests.Infrastructure;

/// <summary>Marks a test class whose tests need the PostgreSQL server named by HUEYP_TEST_PG.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgreSqlAttribute : Attribute;

/// <summary>
/// A [Fact] that is skipped (not failed) in a <see cref="RequiresPostgreSqlAttribute"/> class when HUEYP_TEST_PG is unset
/// and HUEYP_ALLOW_NO_PG=1. Without HUEYP_ALLOW_NO_PG such tests run and fail, saying how to provide a server.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("HueyP.Persistence.Tests.Infrastructure.StorageFactDiscoverer", "HueyP.Persistence.Tests")]
public sealed class StorageFactAttribute : FactAttribute;

public static class PostgreSqlEnvironment
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("HUEYP_TEST_PG") is { Length: > 0 } value ? value : null;

    public static bool SkipAllowed => Environment.GetEnvironmentVariable("HUEYP_ALLOW_NO_PG") == "1";

    public const string Missing =
        "HUEYP_TEST_PG is not set. Run the tests via scripts/test.sh (it starts a throwaway PostgreSQL), " +
        "or start one with `scripts/pg.sh start /tmp/pgdev` and set HUEYP_TEST_PG to the connection string it prints. " +
        "Set HUEYP_ALLOW_NO_PG=1 to skip the PostgreSQL tests instead.";
}

public sealed class StorageFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {

        var needsPostgreSql = testMethod.TestClass.Class.ToRuntimeType()?.IsDefined(typeof(RequiresPostgreSqlAttribute), inherit: true) == true;
        if (needsPostgreSql && PostgreSqlEnvironment.ConnectionString is null && PostgreSqlEnvironment.SkipAllowed)
        {
            yield return new SkippedTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod);
            yield break;
        }
        yield return new XunitTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class SkippedTestCase : XunitTestCase
{
    // Static, not a field: the base class may compute the skip reason before a derived constructor body runs.
    private const string Reason = "HUEYP_TEST_PG is not set and HUEYP_ALLOW_NO_PG=1: PostgreSQL tests skipped";

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase() { }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method)
        : base(sink, display, options, method) { }

    protected override string GetSkipReason(IAttributeInfo factAttribute) => Reason;
}
