namespace HueyP.Actors;

/// <summary>Actors implementing this get <see cref="Stash"/> injected before their constructor body runs.</summary>
public interface IWithUnboundedStash
{
    IStash Stash { get; set; }
}

public interface IStash
{
    /// <summary>Puts the current message aside.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns all stashed messages, in stash order, to the front of the mailbox.</summary>
    void UnstashAll();

    /// <summary>Drops all stashed messages and returns them.</summary>
    IReadOnlyList<object> ClearStash();

    int Count { get; }
}

public sealed class StashOverflowException : AkkaException
{
    public StashOverflowException(string message) : base(message) { }
}

internal sealed class UnboundedStash(ActorCell cell) : IStash
{
    private readonly List<(object Message, IActorRef? Sender)> _stashed = new();
    private long _lastStashedInvocation = -1;

    public int Count => _stashed.Count;

    public void Stash()
    {
        var message = cell.CurrentMessage ?? throw new InvalidOperationException("There is no current message to stash.");
        if (_lastStashedInvocation == cell.InvocationCount)
            throw new InvalidOperationException($"Can't stash the same message {message} more than once.");
        _lastStashedInvocation = cell.InvocationCount;
        _stashed.Add((message, cell.CurrentSender));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0) return;
        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.PrependUnstashed([first]);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0) return;
        cell.PrependUnstashed(_stashed.ToArray());
        _stashed.Clear();
    }

    public IReadOnlyList<object> ClearStash()
    {
        var dropped = _stashed.Select(entry => entry.Message).ToArray();
        _stashed.Clear();
        return dropped;
    }
}
