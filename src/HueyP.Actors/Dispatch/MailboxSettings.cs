namespace HueyP.Actors.Dispatch;

public enum OverflowStrategy
{
    /// <summary>Drop the oldest queued message to make room (good for ticks: newest price wins).</summary>
    DropHead,

    /// <summary>Drop the message being sent.</summary>
    DropNew,

    /// <summary>Drop the message and fail the actor with <see cref="MailboxOverflowException"/>.</summary>
    Fail,
}

/// <summary>Mailbox choice for a Props; unbounded unless a capacity is given.</summary>
public sealed record MailboxSettings(int? Capacity = null, OverflowStrategy Overflow = OverflowStrategy.DropNew)
{
    public static readonly MailboxSettings Unbounded = new();

    public static MailboxSettings Bounded(int capacity, OverflowStrategy overflow) =>
        capacity > 0 ? new MailboxSettings(capacity, overflow) : throw new ArgumentOutOfRangeException(nameof(capacity));
}
