namespace HueyP.Actors.Event;

/// <summary>A message that could not be delivered (recipient stopped or unknown).</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message an actor did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>
/// Publish/subscribe by event type; subscribers to a base type or interface receive subtypes too.
/// Copy-on-write so Publish takes no lock.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private (Type Channel, ICanTell Subscriber)[] _subscriptions = [];

    public bool Subscribe(IActorRef subscriber, Type channel) => SubscribeInternal(subscriber, channel);

    internal bool SubscribeInternal(ICanTell subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            if (_subscriptions.Any(s => s.Channel == channel && Equals(s.Subscriber, subscriber))) return false;
            _subscriptions = [.. _subscriptions, (channel, subscriber)];
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type channel) => Remove(s => s.Channel == channel && Equals(s.Subscriber, subscriber));

    public bool Unsubscribe(IActorRef subscriber) => Remove(s => Equals(s.Subscriber, subscriber));

    internal bool UnsubscribeInternal(ICanTell subscriber) => Remove(s => Equals(s.Subscriber, subscriber));

    private bool Remove(Func<(Type Channel, ICanTell Subscriber), bool> match)
    {
        lock (_lock)
        {
            var kept = _subscriptions.Where(s => !match(s)).ToArray();
            if (kept.Length == _subscriptions.Length) return false;
            _subscriptions = kept;
            return true;
        }
    }

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0) return;
        var type = @event.GetType();
        foreach (var (channel, subscriber) in subscriptions)
            if (channel.IsAssignableFrom(type)) subscriber.Tell(@event, null);
    }
}
