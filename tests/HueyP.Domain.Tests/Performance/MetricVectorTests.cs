using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using HueyP.Domain.Performance;

namespace HueyP.Domain.Tests.Performance;

/// <summary>
/// Every case in MetricVectors/metric_vectors.json (empyrical test suite, Apache-2.0; see NOTICE.md there)
/// checked within its own tolerance |actual − expected| &lt; 1.5·10^−decimals.
/// </summary>
public class MetricVectorTests
{
    private static readonly Lazy<JsonDocument> Vectors = new(() => JsonDocument.Parse(File.ReadAllText(LocateVectors())));

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var i = 0;
        foreach (var c in Vectors.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(i++, $"{c.GetProperty("function").GetString()}({Describe(c.GetProperty("returns"))}, {c.GetProperty("kwargs")})");
        }
        return data;
    }

    [Fact]
    public void The_vector_file_is_the_full_set()
    {
        Assert.Equal(45, Vectors.Value.RootElement.GetProperty("cases").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metric_matches_the_reference_vector(int index, string description)
    {
        var c = Vectors.Value.RootElement.GetProperty("cases")[index];
        var function = c.GetProperty("function").GetString()!;
        var kwargs = c.GetProperty("kwargs");
        var tolerance = 1.5 * Math.Pow(10, -c.GetProperty("decimals").GetInt32());
        var expected = c.GetProperty("expected");
        var period = kwargs.TryGetProperty("period", out var p) ? PeriodsPerYear(p.GetString()!) : ReturnMetrics.TradingDaysPerYear;

        if (c.GetProperty("returns").ValueKind == JsonValueKind.String && c.GetProperty("returns").GetString()!.StartsWith("df_input", StringComparison.Ordinal))
        {
            var start = kwargs.GetProperty("starting_value").GetDouble();
            foreach (var column in new[] { "one", "two" })
                AssertSeries(expected.GetProperty(column), ReturnMetrics.CumulativeReturns(DfInput(column), start), tolerance, description);
            return;
        }

        var returns = Series(c.GetProperty("returns"));
        switch (function)
        {
            case "cum_returns":
                AssertSeries(expected, ReturnMetrics.CumulativeReturns(returns, kwargs.GetProperty("starting_value").GetDouble()), tolerance, description);
                break;
            case "cum_returns_final":
                AssertScalar(expected, ReturnMetrics.TotalReturn(returns, kwargs.GetProperty("starting_value").GetDouble()), tolerance, description);
                break;
            case "max_drawdown" when expected.ValueKind == JsonValueKind.String && expected.GetString()!.StartsWith('='):
                // "= cum_returns_final(series)": a series that only falls draws down by its whole loss.
                Assert.InRange(ReturnMetrics.MaxDrawdown(returns) - ReturnMetrics.TotalReturn(returns), -tolerance, tolerance);
                break;
            case "max_drawdown":
                AssertScalar(expected, ReturnMetrics.MaxDrawdown(returns), tolerance, description);
                break;
            case "annual_return" or "cagr":
                AssertScalar(expected, ReturnMetrics.Cagr(returns, period), tolerance, description);
                break;
            case "annual_volatility":
                AssertScalar(expected, ReturnMetrics.AnnualVolatility(returns, period), tolerance, description);
                break;
            case "sharpe_ratio":
                var riskFree = kwargs.GetProperty("risk_free");
                var sharpe = riskFree.ValueKind == JsonValueKind.Number
                    ? ReturnMetrics.Sharpe(returns, riskFree.GetDouble(), period)
                    : ReturnMetrics.Sharpe(returns, Series(riskFree), period);
                AssertScalar(expected, sharpe, tolerance, description);
                break;
            case "value_at_risk":
                AssertScalar(expected, ReturnMetrics.ValueAtRisk(returns, kwargs.GetProperty("cutoff").GetDouble()), tolerance, description);
                break;
            default:
                Assert.Fail($"no mapping for vector function '{function}'");
                break;
        }
    }

    private static void AssertScalar(JsonElement expected, double actual, double tolerance, string description)
    {
        var want = Number(expected);
        if (double.IsNaN(want)) Assert.True(double.IsNaN(actual), $"{description}: expected NaN, got {actual}");
        else if (double.IsInfinity(want)) Assert.Equal(want, actual);
        else Assert.True(Math.Abs(actual - want) < tolerance, $"{description}: expected {want:R}, got {actual:R}");
    }

    private static void AssertSeries(JsonElement expected, double[] actual, double tolerance, string description)
    {
        var want = expected.EnumerateArray().Select(Number).ToArray();
        Assert.Equal(want.Length, actual.Length);
        for (var i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(actual[i] - want[i]) < tolerance, $"{description}[{i}]: expected {want[i]:R}, got {actual[i]:R}");
    }

    private static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.Null => double.NaN,
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        },
        _ => throw new InvalidDataException($"unexpected value {e}"),
    };

    private static double[] Series(JsonElement reference)
    {
        if (reference.ValueKind == JsonValueKind.Array) return reference.EnumerateArray().Select(Number).ToArray();
        var name = reference.GetString()!;
        var values = Vectors.Value.RootElement.GetProperty("series").GetProperty(name).GetProperty("values");
        if (values.ValueKind == JsonValueKind.Array) return values.EnumerateArray().Select(Number).ToArray();
        return values.GetString() switch
        {
            "1000 x 0.01" => Enumerable.Repeat(0.01, 1000).ToArray(),
            var text when text!.StartsWith("numpy.linspace(0, 1, 1000)", StringComparison.Ordinal) => Enumerable.Range(0, 1000).Select(i => i / 999.0).ToArray(),
            var text => throw new InvalidDataException($"series {name} is described as '{text}', which this test cannot build"),
        };
    }

    /// <summary>df_simple with column one's first and column two's last value missing (see NOTICE.md).</summary>
    private static double[] DfInput(string column)
    {
        var values = Series(JsonDocument.Parse($"\"df_simple.{column}\"").RootElement);
        if (column == "one") values[0] = double.NaN;
        else values[^1] = double.NaN;
        return values;
    }

    private static int PeriodsPerYear(string period) =>
        Vectors.Value.RootElement.GetProperty("_conventions").GetProperty("annualization_factors").GetProperty(period).GetInt32();

    private static string Describe(JsonElement returns) =>
        returns.ValueKind == JsonValueKind.String ? returns.GetString()! : $"[{returns.GetArrayLength()} values]";

    /// <summary>Next to the test binary when the csproj copies it; otherwise found in the source tree.</summary>
    internal static string LocateVectors([CallerFilePath] string thisFile = "")
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "MetricVectors", "metric_vectors.json");
        if (File.Exists(beside)) return beside;
        var besideSource = Path.Combine(Path.GetDirectoryName(thisFile) ?? ".", "..", "MetricVectors", "metric_vectors.json");
        if (File.Exists(besideSource)) return Path.GetFullPath(besideSource);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "HueyP.Domain.Tests", "MetricVectors", "metric_vectors.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("MetricVectors/metric_vectors.json not found next to the tests or in the source tree");
    }
}
