using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.Cluster;

/// <summary>`hueyp cluster show | leader | step-down`: the two-node pair as a running candidate node sees it.</summary>
public sealed class ClusterPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var cluster = new Command("cluster", "The active/standby pair on PostgreSQL (ask either node)");

        var show = new Command("show", "Both nodes with role, epoch, lease expiry (database clock) and standby lag");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/cluster", t), json => RenderShow(context, json), ct));
        cluster.Subcommands.Add(show);

        var leader = new Command("leader", "Which node holds the lease, with which epoch, until when");
        leader.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/cluster/leader", t),
            json => CliRender.Properties(context, "Leader", json), ct));
        cluster.Subcommands.Add(leader);

        var stepDown = new Command("step-down", "Graceful handover: the active drains and stops its engine, releases the lease, and the standby takes over");
        stepDown.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.PostAsync("/api/cluster/step-down", null, t),
            json => context.Console.MarkupLineInterpolated(
                $"[yellow]{json.GetProperty("node").GetString()} is stepping down[/] from epoch {json.GetProperty("stepping_down_from_epoch").GetInt64()}; `hueyp cluster leader` shows the new active"), ct));
        cluster.Subcommands.Add(stepDown);

        var drill = new Command("drill-feed", "The recorded ticks the active feeds itself in drills (hueyp.cluster.drill-feed): show, pause, resume");
        var drillShow = new Command("show", "File, ticks fed by this node, data time reached, paused or not");
        drillShow.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/cluster/drill-feed", t),
            json => CliRender.Properties(context, "Drill feed", json), ct));
        drill.Subcommands.Add(drillShow);
        foreach (var (name, paused, help) in new[] { ("pause", true, "Stop feeding until resumed (e.g. to run `hueyp state rebuild` on a still market)"), ("resume", false, "Feed again") })
        {
            var command = new Command(name, help);
            command.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed,
                (c, t) => c.PostAsync("/api/cluster/drill-feed", new { paused }, t),
                json => CliRender.Properties(context, "Drill feed", json), ct));
            drill.Subcommands.Add(command);
        }

        cluster.Subcommands.Add(drill);
        return cluster;
    }

    private static void RenderShow(CliContext context, JsonElement json)
    {
        var lease = json.GetProperty("lease");
        if (lease.ValueKind == JsonValueKind.Object)
        {
            context.Console.MarkupLineInterpolated(
                $"Lease: [bold]{lease.GetProperty("holder").ToString()}[/] epoch {lease.GetProperty("epoch").GetInt64()}, expires {lease.GetProperty("expires_at").ToString()}{(lease.GetProperty("expired").GetBoolean() ? " (expired)" : "")}");
        }
        else
        {
            context.Console.MarkupLineInterpolated($"[red]Lease unknown:[/] {json.GetProperty("error").ToString()}");
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("node", "role", "epoch", "admin", "journal offset", "lag (events)", "lag (ms)", "seen at");
        foreach (var member in json.GetProperty("members").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(member.GetProperty("node").GetString()!), Markup.Escape(member.GetProperty("role").GetString()!),
                member.GetProperty("epoch").GetInt64().ToString(CultureInfo.InvariantCulture), Markup.Escape(member.GetProperty("admin").GetString()!),
                member.GetProperty("tail_offset").GetInt64().ToString(CultureInfo.InvariantCulture),
                member.GetProperty("lag_events").GetInt64().ToString(CultureInfo.InvariantCulture),
                member.GetProperty("lag_ms").GetDouble().ToString("0.#", CultureInfo.InvariantCulture),
                Markup.Escape(member.GetProperty("seen_at").ToString()));
        }

        context.Console.Write(table);
        if (json.TryGetProperty("projection", out var projection) && projection.ValueKind == JsonValueKind.Object)
        {
            context.Console.MarkupLineInterpolated(
                $"Warm projection: offset {projection.GetProperty("offset").GetInt64()} ({projection.GetProperty("lag_events").GetInt64()} behind the journal), {projection.GetProperty("orders").GetInt32()} orders, {projection.GetProperty("ledger_events").GetInt64()} ledger events, state hash {projection.GetProperty("state_hash").GetString()}");
        }

        if (json.TryGetProperty("seeded", out var seeded) && seeded.ValueKind == JsonValueKind.Array && seeded.GetArrayLength() > 0)
        {
            // What the last takeover's recoveries did with the projection's seeds (docs/persistence.md, "Recovery seeds").
            var lines = seeded.EnumerateArray().Select(r =>
                $"{r.GetProperty("persistence_id").GetString()} {r.GetProperty("outcome").GetString()} at #{r.GetProperty("seed_sequence_nr").GetInt64()}, " +
                $"replayed {r.GetProperty("events_replayed").GetInt64()} event(s) after #{r.GetProperty("recovered_from_sequence_nr").GetInt64()}");
            context.Console.MarkupLineInterpolated($"Seeded at takeover: {string.Join("; ", lines)}");
        }

        context.Console.MarkupLineInterpolated(
            $"This node: {json.GetProperty("node").GetString()} ({json.GetProperty("role").GetString()}, accepting: {json.GetProperty("accepting").GetBoolean()}); fenced writes: {json.GetProperty("fenced_writes").GetInt64()}");
    }
}
