using System.Text.Json;
using System.Text.RegularExpressions;

namespace HueyP.Bridge.Tests.Docs;

/// <summary>
/// The subset of JSON Schema draft 2020-12 that docs/protocol.md uses: type, required, properties, enum, const,
/// pattern, minimum, maximum, exclusiveMinimum, minLength, maxLength, items, additionalProperties (boolean).
/// Any other keyword is an error, so the spec cannot silently rely on something this validator ignores.
/// </summary>
internal static class SchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description", "format"];

    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement instance)
    {
        var errors = new List<string>();
        Check(schema, instance, "$", errors);
        return errors;
    }

    private static void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case var a when Annotations.Contains(a):
                    break;
                case "type":
                    var types = k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Select(t => t.GetString()!).ToArray() : [k.GetString()!];
                    if (!types.Any(t => IsType(value, t))) errors.Add($"{path}: expected {string.Join("|", types)}, got {value.ValueKind}");
                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(option => JsonElement.DeepEquals(option, value))) errors.Add($"{path}: {value.GetRawText()} not in enum");
                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value)) errors.Add($"{path}: expected {k.GetRawText()}");
                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                        foreach (var name in k.EnumerateArray().Select(n => n.GetString()!))
                            if (!value.TryGetProperty(name, out _)) errors.Add($"{path}: missing {name}");
                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                        foreach (var property in k.EnumerateObject())
                            if (value.TryGetProperty(property.Name, out var member)) Check(property.Value, member, $"{path}.{property.Name}", errors);
                    break;
                case "additionalProperties":
                    if (k.ValueKind != JsonValueKind.False && k.ValueKind != JsonValueKind.True)
                        throw new NotSupportedException("additionalProperties must be a boolean here");
                    if (k.ValueKind == JsonValueKind.False && value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                        foreach (var member in value.EnumerateObject())
                            if (!declared.Contains(member.Name)) errors.Add($"{path}: unexpected member {member.Name}");
                    }
                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray()) Check(k, item, $"{path}[{i++}]", errors);
                    }
                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, k.GetString()!))
                        errors.Add($"{path}: \"{value.GetString()}\" does not match {k.GetString()}");
                    break;
                case "minLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length < k.GetInt32()) errors.Add($"{path}: shorter than {k.GetInt32()}");
                    break;
                case "maxLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > k.GetInt32()) errors.Add($"{path}: longer than {k.GetInt32()}");
                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < k.GetDouble()) errors.Add($"{path}: below {k.GetDouble()}");
                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() > k.GetDouble()) errors.Add($"{path}: above {k.GetDouble()}");
                    break;
                case "exclusiveMinimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() <= k.GetDouble()) errors.Add($"{path}: not above {k.GetDouble()}");
                    break;
                default:
                    throw new NotSupportedException($"schema keyword '{keyword.Name}' is outside the supported subset");
            }
        }
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"type '{type}'"),
    };
}
