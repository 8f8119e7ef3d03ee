using System.CommandLine;
using System.Text;
using System.Text.Json;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using Spectre.Console;

namespace HueyP.Node.Palettes.Journal;

/// <summary>
/// `hueyp journal stats | events | tags | verify | export`: read the event journal directly (a SQLite file or the
/// PostgreSQL database from the configuration), so an auditor needs no running node, and a dead node can be examined.
/// </summary>
public sealed class JournalPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var journal = new Command("journal", "Inspect and verify the event journal (no node needed)");
        var database = new Option<string?>("--db") { Description = "SQLite journal file (default: from the configuration)", Recursive = true };
        var postgres = new Option<string?>("--pg") { Description = "PostgreSQL connection string (default: from the configuration)", Recursive = true };
        journal.Options.Add(database);
        journal.Options.Add(postgres);
        Func<ParseResult, PersistenceStore> open = parsed => Open(context, parsed, parsed.GetValue(database), parsed.GetValue(postgres));

        var stats = new Command("stats", "Events, persistence ids, tags, snapshots, size, schema version");
        stats.SetAction(async (parsed, ct) =>
        {
            await using var store = open(parsed);
            var result = await store.Inspector.GetStatsAsync(ct);
            return Print(context, parsed, result, () => CliRender.Properties(context, "Journal", result));
        });
        journal.Subcommands.Add(stats);

        var events = new Command("events", "Events of one persistence id (or all), in journal order");
        var pid = new Option<string?>("--pid") { Description = "Persistence id, e.g. order-EMAX-EURUSD-20250401T1030-0001" };
        var from = new Option<long>("--from") { Description = "First sequence number to show", DefaultValueFactory = _ => 1 };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many events", DefaultValueFactory = _ => 100 };
        events.Options.Add(pid);
        events.Options.Add(from);
        events.Options.Add(limit);
        events.SetAction(async (parsed, ct) =>
        {
            await using var store = open(parsed);
            var rows = new List<EventLine>();
            await foreach (var row in store.Inspector.ListEventsAsync(parsed.GetValue(pid), 0, null, ct))
            {
                if (row.SequenceNr >= parsed.GetValue(from) || parsed.GetValue(pid) is null)
                {
                    rows.Add(EventLine.From(row));
                }

                if (rows.Count >= parsed.GetValue(limit))
                {
                    break;
                }
            }

            return Print(context, parsed, rows, () =>
            {
                var table = new Table().AddColumns("ordering", "persistence id", "seq", "manifest", "time", "payload");
                foreach (var r in rows)
                {
                    table.AddRow(r.Ordering.ToString(), Markup.Escape(r.PersistenceId), r.SequenceNr.ToString(), Markup.Escape(r.Manifest),
                        r.Timestamp.ToString("u"), Markup.Escape(r.Deleted ? "(deleted)" : Truncate(r.Payload, 80)));
                }

                context.Console.Write(table);
            });
        });
        journal.Subcommands.Add(events);

        var tags = new Command("tags", "Tags with their event counts");
        tags.SetAction(async (parsed, ct) =>
        {
            await using var store = open(parsed);
            var result = new List<HueyP.Persistence.Integrity.TagSummary>();
            await foreach (var tag in store.Inspector.ListTagsAsync(ct))
            {
                result.Add(tag);
            }

            return Print(context, parsed, result, () =>
            {
                var table = new Table().AddColumns("tag", "events");
                result.ForEach(t => table.AddRow(Markup.Escape(t.Tag), t.Events.ToString()));
                context.Console.Write(table);
            });
        });
        journal.Subcommands.Add(tags);

        var verify = new Command("verify", "Walk every hash chain; report the first row that was edited, deleted or reordered (exit 1)");
        verify.Options.Add(pid);
        verify.SetAction(async (parsed, ct) =>
        {
            await using var store = open(parsed);
            var report = await store.Verifier.VerifyAsync(parsed.GetValue(pid), ct);
            Print(context, parsed, report, () =>
            {
                if (report.IsIntact)
                {
                    context.Console.MarkupLineInterpolated($"[green]intact[/]: {report.EventsChecked} events in {report.PersistenceIdsChecked} persistence ids verified");
                }
                else
                {
                    var v = report.FirstViolation!;
                    context.Console.MarkupLineInterpolated($"[red]TAMPERED[/] ({v.Kind}) at {v.PersistenceId} #{v.SequenceNr} (ordering {v.Ordering}): {v.Description}");
                }
            });
            return report.IsIntact ? ExitCodes.Ok : ExitCodes.CommandFailed;
        });
        journal.Subcommands.Add(verify);

        var export = new Command("export", "Every event as one JSON object per line (stdout or --out FILE)");
        var format = new Option<string>("--format") { Description = "Export format", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl");
        var output = new Option<string?>("--out") { Description = "File to write (default stdout)" };
        export.Options.Add(format);
        export.Options.Add(output);
        export.Options.Add(pid);
        export.SetAction(async (parsed, ct) =>
        {
            await using var store = open(parsed);
            var path = parsed.GetValue(output);
            await using Stream stream = path is null ? new MemoryStream() : File.Create(path);
            var count = await store.Inspector.ExportJsonLinesAsync(stream, parsed.GetValue(pid), ct);
            if (path is null)
            {
                await context.Output.WriteAsync(Encoding.UTF8.GetString(((MemoryStream)stream).ToArray()));
            }
            else
            {
                await context.Error.WriteLineAsync($"{count} events written to {path}");
            }

            return ExitCodes.Ok;
        });
        journal.Subcommands.Add(export);
        return journal;
    }

    private static PersistenceStore Open(CliContext context, ParseResult parsed, string? database, string? postgres)
    {
        var settings = NodeConfiguration.TryLoadSettings(parsed.GetValue(context.ConfigFile))?.Persistence;
        if (postgres is null && (database is not null || settings?.Provider != "postgresql"))
        {
            return JournalFiles.OpenSqlite(database ?? settings?.SqlitePath ?? JournalFiles.DefaultPath);
        }

        try
        {
            // The inspector reads rows as stored; it needs no event types.
            return JournalFactory.Create(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = postgres ?? settings!.PostgresConnectionString }, new EventSerializer());
        }
        catch (JournalConfigurationException e)
        {
            throw new CommandFailedException(e.Message);
        }
    }

    private static int Print<T>(CliContext context, ParseResult parsed, T value, Action readable)
    {
        if (context.WantsJson(parsed))
        {
            context.Output.WriteLine(JsonSerializer.Serialize(value, HueyP.Node.Admin.AdminWire.Options));
        }
        else
        {
            readable();
        }

        return ExitCodes.Ok;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private sealed record EventLine(long Ordering, string PersistenceId, long SequenceNr, string Manifest, DateTime Timestamp, bool Deleted, string Payload)
    {
        public static EventLine From(JournalRow row) =>
            new(row.Ordering, row.PersistenceId, row.SequenceNr, row.Manifest, row.Timestamp, row.Deleted, Encoding.UTF8.GetString(row.Payload));
    }
}
