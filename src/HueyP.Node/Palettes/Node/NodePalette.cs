using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Cli;
using HueyP.Node.Hosting;
using HueyP.Node.Palettes.Actors;
using Spectre.Console;

namespace HueyP.Node.Palettes.Node;

/// <summary>`hueyp node run | status | manifest | shutdown`.</summary>
public sealed class NodePalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var node = new Command("node", "Run a node, or ask a running one about itself");

        var run = new Command("run", "Start a node with the configuration (--config) and keep it running until Ctrl-C or `hueyp node shutdown`");
        var once = new Option<bool>("--once") { Description = "Start, print the actor tree, and stop in order (a smoke test of the configuration and the tree)" };
        run.Options.Add(once);
        run.SetAction((parsed, ct) => NodeHost.RunAsync(
            parsed.GetValue(context.ConfigFile), context.Output, ct,
            started: node => context.Console.Write(ActorPalette.RenderTree(Palettes.Actors.ActorTreeJson.From(node.Runtime.System.Diagnostics.Snapshot("/")!))),
            exitWhenStarted: parsed.GetValue(once)));
        node.Subcommands.Add(run);

        var status = new Command("status", "Name, role, mode, uptime and actor counts of the running node");
        status.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/node/status", t), json => CliRender.Properties(context, "Node status", json), ct));
        node.Subcommands.Add(status);

        var manifest = new Command("manifest", "The run manifest the node wrote at start-up");
        manifest.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/node/manifest", t), json => CliRender.Properties(context, "Run manifest", json), ct));
        node.Subcommands.Add(manifest);

        var shutdown = new Command("shutdown", "Stop the node in order (stop intake, drain, persist, stop actors)");
        var reason = new Option<string>("--reason") { Description = "Why (written to the audit log)", DefaultValueFactory = _ => "operator request" };
        shutdown.Options.Add(reason);
        shutdown.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed, (c, t) => c.PostAsync("/api/node/shutdown", new { reason = parsed.GetValue(reason) }, t),
            json => context.Console.MarkupLineInterpolated($"[yellow]Shutting down:[/] {json.GetProperty("reason").GetString()}"), ct));
        node.Subcommands.Add(shutdown);
        return node;
    }
}
