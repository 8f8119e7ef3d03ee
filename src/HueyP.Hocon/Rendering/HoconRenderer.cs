using System.Text;
using System.Text.Json;

namespace HueyP.Hocon;

/// <summary>Renders a resolved tree for <c>hueyp config show</c>, optionally with secrets replaced by <c>"&lt;redacted&gt;"</c>.</summary>
public static class HoconRenderer
{
    public static string ToJson(HoconConfig config, bool redact)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, config.Root, redact);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, HoconValue value, bool redact)
    {
        switch (value)
        {
            case HoconObject obj:
                writer.WriteStartObject();
                foreach (var (key, child) in obj.Fields)
                {
                    writer.WritePropertyName(key);
                    if (redact && IsSecret(key, child))
                    {
                        writer.WriteStringValue(HoconRedactor.Placeholder);
                    }
                    else
                    {
                        WriteJson(writer, child, redact);
                    }
                }
                writer.WriteEndObject();
                break;
            case HoconArray array:
                writer.WriteStartArray();
                foreach (var item in array.Items)
                {
                    WriteJson(writer, item, redact);
                }
                writer.WriteEndArray();
                break;
            case HoconScalar scalar:
                switch (scalar.Kind)
                {
                    case HoconScalarKind.Null:
                        writer.WriteNullValue();
                        break;
                    case HoconScalarKind.Boolean:
                        writer.WriteBooleanValue(scalar.Text == "true");
                        break;
                    case HoconScalarKind.Number:
                        writer.WriteRawValue(scalar.Text);
                        break;
                    default:
                        writer.WriteStringValue(redact ? HoconRedactor.RedactInlineSecrets(scalar.Text) : scalar.Text);
                        break;
                }
                break;
        }
    }

    /// <summary>Null stays visible: "not set" is useful to see and reveals nothing.</summary>
    private static bool IsSecret(string key, HoconValue value) => HoconRedactor.IsSecretKey(key) && value is not HoconScalar { IsNull: true };

    /// <summary>HOCON with one field per line and <c># file:line</c> comments giving where each value came from.</summary>
    public static string ToHocon(HoconConfig config, bool redact, bool withOrigins = false)
    {
        var output = new StringBuilder();
        WriteFields(output, config.Root, redact, withOrigins, 0);
        return output.ToString();
    }

    private static void WriteFields(StringBuilder output, HoconObject obj, bool redact, bool withOrigins, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (key, value) in obj.Fields)
        {
            if (withOrigins && value is not HoconObject)
            {
                output.Append(indent).Append("# ").Append(value.Origin).Append('\n');
            }
            output.Append(indent).Append(HoconPath.QuoteIfNeeded(key));
            if (value is HoconObject child)
            {
                output.Append(" {\n");
                WriteFields(output, child, redact, withOrigins, depth + 1);
                output.Append(indent).Append("}\n");
                continue;
            }
            output.Append(" = ");
            if (redact && IsSecret(key, value))
            {
                output.Append(Quote(HoconRedactor.Placeholder));
            }
            else
            {
                WriteValue(output, value, redact, depth);
            }
            output.Append('\n');
        }
    }

    private static void WriteValue(StringBuilder output, HoconValue value, bool redact, int depth)
    {
        switch (value)
        {
            case HoconObject obj:
                output.Append("{\n");
                WriteFields(output, obj, redact, false, depth + 1);
                output.Append(new string(' ', depth * 2)).Append('}');
                break;
            case HoconArray array:
                output.Append('[');
                for (var i = 0; i < array.Items.Count; i++)
                {
                    output.Append(i == 0 ? "" : ", ");
                    WriteValue(output, array.Items[i], redact, depth);
                }
                output.Append(']');
                break;
            case HoconScalar { Kind: HoconScalarKind.String } text:
                output.Append(Quote(redact ? HoconRedactor.RedactInlineSecrets(text.Text) : text.Text));
                break;
            case HoconScalar scalar:
                output.Append(scalar.Text);
                break;
        }
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text, new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
