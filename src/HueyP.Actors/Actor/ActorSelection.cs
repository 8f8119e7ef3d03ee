using System.Text.RegularExpressions;

namespace HueyP.Actors;

/// <summary>
/// Actors found by path (absolute, or relative to an anchor with ".." and wildcards * and ?),
/// resolved when a message is sent; an empty match is a dead letter.
/// </summary>
public sealed class ActorSelection : ICanTell
{
    private readonly ActorSystem _system;
    private readonly IActorRef _anchor;
    private readonly string[] _elements;

    private ActorSelection(ActorSystem system, IActorRef anchor, string[] elements)
    {
        _system = system;
        _anchor = anchor;
        _elements = elements;
    }

    public IActorRef Anchor => _anchor;

    public string PathString => _anchor.Path.ToStringWithoutAddress().TrimEnd('/') + "/" + string.Join('/', _elements);

    internal static ActorSelection Parse(ActorSystem system, IActorRef anchor, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var address = "akka://" + system.Name;
        if (path.StartsWith("akka://", StringComparison.Ordinal))
        {
            if (!path.StartsWith(address, StringComparison.Ordinal))
                return new ActorSelection(system, system.DeadLetters, ["$unknown-system"]);
            path = path[address.Length..];
            if (path.Length == 0) path = "/";
        }
        if (path.StartsWith('/'))
            anchor = system.RootCell.Self;
        var elements = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return new ActorSelection(system, anchor, elements);
    }

    public void Tell(object message, IActorRef? sender)
    {
        var matches = Resolve();
        if (matches.Count == 0)
        {
            _system.PublishDeadLetter(message, sender, _system.DeadLetters);
            return;
        }
        foreach (var match in matches) match.Tell(message, sender);
    }

    public Task<IActorRef> ResolveOne(TimeSpan timeout)
    {
        var matches = Resolve();
        return matches.Count > 0
            ? Task.FromResult(matches[0])
            : Task.FromException<IActorRef>(new ActorNotFoundException($"Actor not found for: {this}"));
    }

    internal List<IActorRef> Resolve()
    {
        var current = new List<IActorRef> { _anchor };
        foreach (var element in _elements)
        {
            var next = new List<IActorRef>();
            foreach (var actor in current)
            {
                if (actor is not LocalActorRef local) continue;
                if (element == "..")
                {
                    if (local.Cell.ParentRef is LocalActorRef parent) next.Add(parent);
                }
                else if (element == ".")
                {
                    next.Add(actor);
                }
                else if (element.Contains('*') || element.Contains('?'))
                {
                    var pattern = new Regex("^" + Regex.Escape(element).Replace("\\*", ".*").Replace("\\?", ".") + "$");
                    foreach (var child in local.Cell.GetChildren())
                        if (pattern.IsMatch(child.Path.Name)) next.Add(child);
                }
                else
                {
                    var child = local.Cell.TryGetChild(element);
                    if (child is not null) next.Add(child.Child);
                }
            }
            current = next;
            if (current.Count == 0) break;
        }
        return current.Where(actor => actor is not LocalActorRef { IsTerminated: true }).ToList();
    }

    public override string ToString() => $"ActorSelection[Anchor({_anchor.Path}), Path({PathString})]";
}
