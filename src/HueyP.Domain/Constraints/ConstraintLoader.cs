using System.Text.Json;

namespace HueyP.Domain.Constraints;

public sealed class ConstraintConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid constraint configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads the constraint repository from JSON text: <c>{ "constraints": [ { "id", "name", "type", "condition",
/// "severity", "sessions"?, "symbols"?, "description"? } ] }</c>. Every problem is collected, each naming the
/// constraint (by id or position) and field, and every condition is parsed so syntax errors surface at start-up.
/// </summary>
public static class ConstraintLoader
{
    public static readonly IReadOnlyDictionary<string, ConstraintType> TypeNames = new Dictionary<string, ConstraintType>
    {
        ["market_quality"] = ConstraintType.MarketQuality,
        ["risk_management"] = ConstraintType.RiskManagement,
        ["system_health"] = ConstraintType.SystemHealth,
        ["broker_connectivity"] = ConstraintType.BrokerConnectivity,
    };

    public static readonly IReadOnlyDictionary<string, Severity> SeverityNames = new Dictionary<string, Severity>
    {
        ["info"] = Severity.Info,
        ["warning"] = Severity.Warning,
        ["critical"] = Severity.Critical,
    };

    public static string ConfigName(this ConstraintType type) => TypeNames.First(p => p.Value == type).Key;
    public static string ConfigName(this Severity severity) => SeverityNames.First(p => p.Value == severity).Key;

    public static ConstraintSet Load(string json) => new(Parse(json));

    public static IReadOnlyList<ConstraintDefinition> Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConstraintConfigurationException([$"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}"]);
        }

        using (document)
        {
            var errors = new List<string>();
            var definitions = new List<ConstraintDefinition>();
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("constraints", out var array)
                || array.ValueKind != JsonValueKind.Array)
                throw new ConstraintConfigurationException(["the root must be an object with a \"constraints\" array"]);

            var index = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in array.EnumerateArray())
            {
                var where = $"constraints[{index}]";
                index++;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{where}: must be an object");
                    continue;
                }

                var id = Text(element, "id", where, errors);
                if (id is not null)
                {
                    where = $"constraint '{id}'";
                    if (!seen.Add(id)) errors.Add($"{where}: id is used more than once");
                }
                var name = Text(element, "name", where, errors);
                var typeText = Text(element, "type", where, errors);
                var condition = Text(element, "condition", where, errors);
                var severityText = Text(element, "severity", where, errors);
                var sessions = List(element, "sessions", where, errors);
                var symbols = List(element, "symbols", where, errors);
                var description = element.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";

                ConstraintType type = default;
                if (typeText is not null && !TypeNames.TryGetValue(typeText, out type))
                    errors.Add($"{where}.type = {typeText}: must be one of {string.Join(", ", TypeNames.Keys)}");
                Severity severity = default;
                if (severityText is not null && !SeverityNames.TryGetValue(severityText, out severity))
                    errors.Add($"{where}.severity = {severityText}: must be one of {string.Join(", ", SeverityNames.Keys)}");
                if (id is not null && condition is not null)
                {
                    try
                    {
                        ExpressionParser.Parse(condition, id);
                    }
                    catch (ConstraintSyntaxException ex)
                    {
                        errors.Add($"{where}.condition: {ex.Message}");
                    }
                }

                if (id is not null && name is not null && condition is not null && typeText is not null && severityText is not null)
                    definitions.Add(new ConstraintDefinition(id, name, type, condition, severity, sessions, symbols, description));
            }

            if (errors.Count > 0) throw new ConstraintConfigurationException(errors);
            return definitions;
        }
    }

    private static string? Text(JsonElement element, string property, string where, List<string> errors)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{where}.{property}: is required and must be a string");
            return null;
        }
        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{where}.{property}: must not be empty");
            return null;
        }
        return text;
    }

    private static IReadOnlyList<string> List(JsonElement element, string property, string where, List<string> errors)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}.{property}: must be an array of strings");
            return [];
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString())) items.Add(item.GetString()!);
            else errors.Add($"{where}.{property}: every entry must be a non-empty string");
        }
        return items;
    }
}
