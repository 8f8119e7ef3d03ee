using HueyP.Actors.Dispatch;

namespace HueyP.Actors.Diagnostics;

/// <summary>One actor in a tree snapshot.</summary>
public sealed record ActorTreeNode(
    string Path,
    string ActorType,
    int MailboxDepth,
    int RestartCount,
    bool IsSuspended,
    IReadOnlyList<ActorTreeNode> Children);

/// <summary>Operability hooks for the node: inspect the tree, inject failures, read counters.</summary>
public sealed class ActorSystemDiagnostics
{
    private readonly ActorSystem _system;

    internal ActorSystemDiagnostics(ActorSystem system) => _system = system;

    public long DeadLetterCount => _system.DeadLetterCount;

    public long UnhandledCount => _system.UnhandledCount;

    /// <summary>Snapshot of the subtree at <paramref name="path"/> (default /user), <paramref name="depth"/> levels deep (default unlimited).</summary>
    public ActorTreeNode? Snapshot(string? path = null, int? depth = null)
    {
        var cell = Find(path ?? "/user");
        return cell is null ? null : Describe(cell, depth ?? int.MaxValue);
    }

    private static ActorTreeNode Describe(ActorCell cell, int depth)
    {
        var children = depth <= 0
            ? []
            : cell.ChildrenSnapshot(includeDying: false)
                .Select(stats => stats.ChildRef)
                .OfType<LocalActorRef>()
                .OrderBy(child => child.Path.Name, StringComparer.Ordinal)
                .Select(child => Describe(child.Cell, depth - 1))
                .ToList();
        return new ActorTreeNode(
            cell.Self.Path.ToString(),
            cell.Props.ActorType.Name,
            cell.Mailbox.Depth,
            cell.RestartCount,
            cell.Mailbox.IsSuspended,
            children);
    }

    /// <summary>All live actor paths under <paramref name="path"/> (excluded), in a stable order.</summary>
    public IReadOnlyList<IActorRef> Descendants(string path)
    {
        var result = new List<IActorRef>();
        var cell = Find(path);
        if (cell is not null) Collect(cell, result);
        return result;
    }

    private static void Collect(ActorCell cell, List<IActorRef> into)
    {
        foreach (var child in cell.ChildrenSnapshot(includeDying: false).Select(s => s.ChildRef).OfType<LocalActorRef>()
                     .OrderBy(c => c.Path.Name, StringComparer.Ordinal))
        {
            into.Add(child);
            Collect(child.Cell, into);
        }
    }

    /// <summary>Makes the actor fail as if its handler had thrown; its supervisor handles it like any failure.</summary>
    public bool Crash(string path, Exception exception)
    {
        var cell = Find(path);
        if (cell is null) return false;
        cell.SelfRef.SendSystemMessage(new Crash(exception));
        return true;
    }

    public bool Crash(IActorRef actor, Exception exception)
    {
        if (actor is not IInternalActorRef target) return false;
        target.SendSystemMessage(new Crash(exception));
        return true;
    }

    private ActorCell? Find(string path) =>
        _system.ActorSelection(path).Resolve().FirstOrDefault() is LocalActorRef local ? local.Cell : null;
}
