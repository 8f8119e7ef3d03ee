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
        context.Console.MarkupLineInterpolated(
            $"This node: {json.GetProperty("node").GetString()} ({json.GetProperty("role").GetString()}, accepting: {json.GetProperty("accepting").GetBoolean()}); fenced writes: {json.GetProperty("fenced_writes").GetInt64()}");
    }
}
