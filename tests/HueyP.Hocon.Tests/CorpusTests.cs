using System.Globalization;
using System.Numerics;
using System.Text.Json;
using HueyP.Hocon;

namespace HueyP.Hocon.Tests;

/// <summary>The lightbend/config corpus (see Corpus/NOTICE): equivalent files and the expected values of test01..test05.</summary>
public sealed class CorpusTests
{
    private const string MissingPropertiesFile =
        "test01.properties is not part of the corpus we were given (and Java .properties files are not a format we load), so 'fromProps.*' cannot be reproduced";

    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Corpus", "resources");

    private static readonly HoconParseOptions NoEnvironment = new() { EnvironmentVariables = _ => null };

    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "expected_values.json"))).RootElement);

    public static IEnumerable<object[]> EquivalentFiles() =>
        new[] { "equiv01", "equiv02" }.SelectMany(folder =>
            Directory.GetFiles(Path.Combine(CorpusDirectory, folder))
                .Where(file => Path.GetFileName(file) != "original.json")
                .Order(StringComparer.Ordinal)
                .Select(file => new object[] { folder, Path.GetFileName(file) }));

    [Theory]
    [MemberData(nameof(EquivalentFiles))]
    public void Equivalent_file_resolves_to_the_same_tree_as_original_json(string folder, string file)
    {
        var config = HoconParser.ParseFile(Path.Combine(CorpusDirectory, folder, file), NoEnvironment);
        using var original = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusDirectory, folder, "original.json")));

        AssertSameTree(original.RootElement, config.Root, "");
    }

    private static void AssertSameTree(JsonElement expected, HoconValue actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = Assert.IsType<HoconObject>(actual);
                Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), obj.Keys.Order());
                foreach (var property in expected.EnumerateObject())
                {
                    obj.TryGetValue(property.Name, out var child);
                    AssertSameTree(property.Value, child, path + "." + property.Name);
                }
                break;
            case JsonValueKind.Array:
                var array = Assert.IsType<HoconArray>(actual);
                var items = expected.EnumerateArray().ToList();
                Assert.Equal(items.Count, array.Items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    AssertSameTree(items[i], array.Items[i], $"{path}[{i}]");
                }
                break;
            case JsonValueKind.Number:
                var number = Assert.IsType<HoconScalar>(actual);
                Assert.Equal(HoconScalarKind.Number, number.Kind);
                Assert.Equal(expected.GetDouble(), double.Parse(number.Text, CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                var text = Assert.IsType<HoconScalar>(actual);
                Assert.True(text.Kind == HoconScalarKind.String, $"{path} should be a string");
                Assert.Equal(expected.GetString(), text.Text);
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                var boolean = Assert.IsType<HoconScalar>(actual);
                Assert.Equal(HoconScalarKind.Boolean, boolean.Kind);
                Assert.Equal(expected.GetBoolean() ? "true" : "false", boolean.Text);
                break;
            case JsonValueKind.Null:
                Assert.True(Assert.IsType<HoconScalar>(actual).IsNull, $"{path} should be null");
                break;
        }
    }

    /// <summary>Loads a test the way ConfigFactory.load(name) does: name.conf over name.json.</summary>
    private static HoconConfig Load(string test)
    {
        var config = HoconParser.ParseFile(Path.Combine(CorpusDirectory, test + ".conf"), NoEnvironment);
        var json = Path.Combine(CorpusDirectory, test + ".json");
        return File.Exists(json) ? config.WithFallback(HoconParser.ParseFile(json, NoEnvironment)) : config;
    }

    public static IEnumerable<object[]> ExpectedValues()
    {
        string[] getters = ["getInt", "getLong", "getDouble", "getString", "getBoolean", "getStringList", "lists", "durations_ms", "durations_ns", "bytes", "periods"];
        foreach (var test in Expected.Value.EnumerateObject().Where(t => t.Name.StartsWith("test", StringComparison.Ordinal)))
        {
            foreach (var getter in test.Value.EnumerateObject().Where(g => getters.Contains(g.Name)))
            {
                foreach (var entry in getter.Value.EnumerateObject().Where(e => !e.Name.Contains("fromProps", StringComparison.Ordinal)))
                {
                    yield return [test.Name, getter.Name, entry.Name, entry.Value.GetRawText()];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ExpectedValues))]
    public void Corpus_value_matches_expected(string test, string getter, string path, string expectedJson)
    {
        var config = Load(test);
        var expected = JsonDocument.Parse(expectedJson).RootElement;

        switch (getter)
        {
            case "getInt":
                Assert.Equal(expected.GetInt32(), config.GetInt(path));
                break;
            case "getLong":
                Assert.Equal(expected.GetInt64(), config.GetLong(path));
                break;
            case "getDouble":
                Assert.Equal(expected.GetDouble(), config.GetDouble(path), 10);
                break;
            case "getString":
                Assert.Equal(expected.GetString(), config.GetString(path));
                break;
            case "getBoolean":
                Assert.Equal(expected.GetBoolean(), config.GetBoolean(path));
                break;
            case "getStringList":
                Assert.Equal(expected.EnumerateArray().Select(e => e.GetString()), config.GetStringList(path));
                break;
            case "lists":
                AssertList(config, path, expected);
                break;
            case "durations_ms":
                AssertEachOrSingle(config, path, expected, text => HoconDuration.ParseNanoseconds(text) / 1_000_000, e => e.GetInt64());
                break;
            case "durations_ns":
                Assert.Equal(expected.GetInt64(), config.GetDurationNanoseconds(path));
                break;
            case "bytes":
                AssertEachOrSingle(config, path, expected,
                    text => HoconByteSize.TryParseBig(text, out var bytes, out var error) ? bytes : throw new FormatException(error),
                    e => e.ValueKind == JsonValueKind.String ? BigInteger.Parse(e.GetString()!, CultureInfo.InvariantCulture) : new BigInteger(e.GetInt64()));
                break;
            case "periods":
                var period = config.GetPeriod(path);
                var parts = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
                Assert.Equal(new HoconPeriod(parts.GetValueOrDefault("years"), parts.GetValueOrDefault("months"), parts.GetValueOrDefault("days")), period);
                break;
            default:
                throw new InvalidOperationException(getter);
        }
    }

    private static void AssertList(HoconConfig config, string path, JsonElement expected)
    {
        if (path.EndsWith(".length", StringComparison.Ordinal))
        {
            Assert.Equal(expected.GetInt32(), config.GetList(path[..^".length".Length]).Count);
            return;
        }
        AssertSameTree(expected, config.GetValue(path), path);
    }

    private static void AssertEachOrSingle<T>(HoconConfig config, string path, JsonElement expected, Func<string, T> parse, Func<JsonElement, T> read)
    {
        if (expected.ValueKind == JsonValueKind.Array)
        {
            var actual = config.GetList(path).Select(item => parse(((HoconScalar)item).Text));
            Assert.Equal(expected.EnumerateArray().Select(read), actual);
        }
        else
        {
            Assert.Equal(read(expected), parse(config.GetString(path)));
        }
    }

    [Fact]
    public void Test01_point_thirty_three_is_held_as_a_string()
    {
        var value = Assert.IsType<HoconScalar>(Load("test01").GetValue("floats.pointThirtyThree"));
        Assert.Equal(HoconScalarKind.String, value.Kind);
    }

    [Fact]
    public void Test01_null_key_holds_null_and_is_not_a_path()
    {
        var config = Load("test01");
        Assert.True(Assert.IsType<HoconScalar>(config.GetValue("nulls.null")).IsNull);
        Assert.False(config.HasPath("nulls.null"));
    }

    public static IEnumerable<object[]> MustThrow() =>
        Expected.Value.GetProperty("test01").GetProperty("must_throw").EnumerateObject()
            .SelectMany(kind => kind.Value.EnumerateArray().Select(call => new object[] { kind.Name, call.GetString()! }));

    [Theory]
    [MemberData(nameof(MustThrow))]
    public void Test01_bad_getter_calls_throw(string kind, string call)
    {
        var config = Load("test01");
        var parts = call.Split(' ');
        var path = parts[1];
        Action getter = parts[0] switch
        {
            "getInt" => () => config.GetInt(path),
            "getIntList" => () => config.GetIntList(path),
            "getBooleanList" => () => config.GetBooleanList(path),
            "getObjectList" => () => config.GetConfigList(path),
            "getMilliseconds" => () => config.GetDuration(path),
            "getBytes" => () => config.GetByteSize(path),
            "getBoolean" => () => config.GetBoolean(path),
            "getObject" => () => config.GetConfig(path),
            "getList" => () => config.GetList(path),
            "getString" => () => config.GetString(path),
            _ => throw new InvalidOperationException(call),
        };

        var error = Assert.Throws<HoconConfigException>(getter);
        Assert.Contains(path, error.Message);
        _ = kind;
    }

    [Fact(Skip = MissingPropertiesFile)]
    public void Test01_values_from_properties_file() { }

    [Fact(Skip = MissingPropertiesFile)]
    public void Test03_values_from_included_properties_file() { }
}
