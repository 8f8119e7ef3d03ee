using System.Text.Json;
using HueyP.Node.Admin;
using Spectre.Console;

namespace HueyP.Node.Cli;

/// <summary>Readable renderings shared by palettes (the --json path prints the same data as JSON).</summary>
public static class CliRender
{
    public static void Properties(CliContext context, string title, object value) =>
        Properties(context, title, JsonSerializer.SerializeToElement(value, AdminWire.Options));

    public static void Properties(CliContext context, string title, JsonElement json)
    {
        var table = new Table().Title(title).AddColumn("field").AddColumn("value");
        foreach (var property in json.EnumerateObject())
        {
            table.AddRow(Markup.Escape(property.Name), Markup.Escape(property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
        }

        context.Console.Write(table);
    }
}
