using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.Actors;

/// <summary>`hueyp actor hierarchy | crash`: the live tree, and chaos on demand.</summary>
public sealed class ActorPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var actor = new Command("actor", "Inspect the live actor tree, or make an actor fail (chaos)");

        var hierarchy = new Command("hierarchy", "The live actor tree with mailbox depth and restart counts");
        var depth = new Option<int>("--depth") { Description = "How many levels below the path", DefaultValueFactory = _ => 8 };
        var path = new Option<string>("--path") { Description = "Where to start, e.g. /user/engine", DefaultValueFactory = _ => "/user" };
        hierarchy.Options.Add(depth);
        hierarchy.Options.Add(path);
        hierarchy.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.GetAsync($"/api/actors?path={Uri.EscapeDataString(parsed.GetValue(path)!)}&depth={parsed.GetValue(depth)}", t),
            json => context.Console.Write(RenderTree(json.Deserialize<ActorTreeJson>(HueyP.Node.Admin.AdminWire.Options)!)), ct));
        actor.Subcommands.Add(hierarchy);

        var crash = new Command("crash", "Make the actor at PATH fail as if its handler threw; its supervisor decides what happens");
        var target = new Argument<string>("path") { Description = "Actor path, e.g. /user/engine/symbols/EURUSD" };
        var exception = new Option<string>("--exception") { Description = "Exception type to fail with", DefaultValueFactory = _ => "InvalidOperationException" };
        crash.Arguments.Add(target);
        crash.Options.Add(exception);
        crash.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync("/api/actors/crash", new { path = parsed.GetValue(target), exception = parsed.GetValue(exception) }, t),
            json => context.Console.MarkupLineInterpolated($"[red]Crashed[/] {json.GetProperty("path").GetString()} with {json.GetProperty("exception").GetString()}"), ct));
        actor.Subcommands.Add(crash);
        return actor;
    }

    internal static Tree RenderTree(ActorTreeJson root)
    {
        var tree = new Tree(Label(root));
        AddChildren(tree.AddNode, root);
        return tree;

        static void AddChildren(Func<string, TreeNode> add, ActorTreeJson node)
        {
            foreach (var child in node.Children)
            {
                AddChildren(add(Label(child)).AddNode, child);
            }
        }

        static string Label(ActorTreeJson node) =>
            $"[bold]{Markup.Escape(node.Name)}[/] [grey]{Markup.Escape(node.Type)}[/]"
            + (node.Mailbox > 0 ? $" [yellow]mailbox {node.Mailbox}[/]" : "")
            + (node.Restarts > 0 ? $" [red]restarts {node.Restarts}[/]" : "")
            + (node.Suspended ? " [red]suspended[/]" : "");
    }
}
