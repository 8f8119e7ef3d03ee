using Xunit;
using System.Diagnostics;

namespace HueyP.Actors.TestKit;

/// <summary>Expectations on one probe's queue. All waits block on the queue with a timeout; none sleeps.</summary>
public abstract class TestKitBase
{
    private readonly ProbeRef _probe;
    private DateTime? _withinDeadline;

    private protected TestKitBase(ActorSystem system, ProbeRef probe, TimeSpan defaultTimeout)
    {
        Sys = system;
        _probe = probe;
        DefaultTimeout = defaultTimeout;
    }

    public ActorSystem Sys { get; }

    /// <summary>The reference of this probe (the TestActor for a TestKit).</summary>
    public IActorRef Ref => _probe;

    public TimeSpan DefaultTimeout { get; set; }

    /// <summary>How long ExpectNoMsg waits by default (the only real wait in the kit).</summary>
    public TimeSpan DefaultNoMessageWait { get; set; } = TimeSpan.FromMilliseconds(100);

    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    public bool HasMessages => _probe.Queue.Count > 0;

    public void Reply(object message) => LastSender.Tell(message, _probe);

    public void Forward(IActorRef target, object message) => target.Tell(message, LastSender);

    public void Send(IActorRef target, object message) => target.Tell(message, _probe);

    public IActorRef Watch(IActorRef subject)
    {
        _probe.Watch(subject);
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        _probe.Unwatch(subject);
        return subject;
    }

    private TimeSpan Remaining(TimeSpan? timeout)
    {
        var wanted = timeout ?? DefaultTimeout;
        if (_withinDeadline is { } deadline)
        {
            var left = deadline - DateTime.UtcNow;
            if (left < wanted) wanted = left;
        }
        return wanted < TimeSpan.Zero ? TimeSpan.Zero : wanted;
    }

    /// <summary>Next message or null after the timeout.</summary>
    public object? ReceiveOne(TimeSpan? timeout = null)
    {
        if (!_probe.Queue.TryTake(out var envelope, Remaining(timeout))) return null;
        LastSender = envelope.Sender ?? Sys.DeadLetters;
        return envelope.Message;
    }

    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsg<T>(static _ => true, timeout);

    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null, string? hint = null)
    {
        var wait = Remaining(timeout);
        var message = ReceiveOne(wait);
        if (message is null) Assert.Fail($"Timeout ({wait}) while waiting for a message of type {typeof(T).Name}{Hint(hint)}");
        if (message is not T typed) { Assert.Fail($"Expected a message of type {typeof(T).Name}{Hint(hint)} but got {message.GetType().Name}: {message}"); return default!; }
        if (!predicate(typed)) Assert.Fail($"Message {message} ({message.GetType().Name}) did not match the predicate{Hint(hint)}");
        return typed;
    }

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull =>
        ExpectMsg<T>(actual => Equals(actual, expected), timeout, $"equal to {expected}");

    private static string Hint(string? hint) => hint is null ? "" : $" ({hint})";

    /// <summary>Asserts that no message arrives within the duration (a short real wait).</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var message = ReceiveOne(duration ?? DefaultNoMessageWait);
        if (message is not null) Assert.Fail($"Expected no message but got {message.GetType().Name}: {message}");
    }

    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(actor), timeout, $"Terminated of {actor.Path}");

    /// <summary>Skips messages until one satisfies the predicate.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Remaining(timeout).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var left = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            var message = ReceiveOne(left < TimeSpan.Zero ? TimeSpan.Zero : left);
            if (message is null) Assert.Fail("Timeout while fishing for a message");
            if (isTheOne(message)) return message;
        }
    }

    public T FishForMessage<T>(Predicate<T>? isTheOne = null, TimeSpan? timeout = null) =>
        (T)FishForMessage(m => m is T typed && (isTheOne is null || isTheOne(typed)), timeout);

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Remaining(timeout).TotalSeconds * Stopwatch.Frequency);
        var received = new List<object>(count);
        while (received.Count < count)
        {
            var left = TimeSpan.FromSeconds((deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
            var message = ReceiveOne(left < TimeSpan.Zero ? TimeSpan.Zero : left);
            if (message is null) Assert.Fail($"Timeout: received {received.Count} of {count} messages");
            received.Add(message);
        }
        return received;
    }

    /// <summary>Runs the block; expectations inside share the deadline, and the block must finish in time.</summary>
    public T Within<T>(TimeSpan max, Func<T> block)
    {
        var previous = _withinDeadline;
        var deadline = DateTime.UtcNow + max;
        _withinDeadline = previous is { } outer && outer < deadline ? outer : deadline;
        try
        {
            var result = block();
            if (DateTime.UtcNow > deadline) Assert.Fail($"Block took longer than {max}");
            return result;
        }
        finally
        {
            _withinDeadline = previous;
        }
    }

    public void Within(TimeSpan max, Action block) => Within(max, () => { block(); return 0; });

    /// <summary>Retries the assertion until it passes or the duration is over (polling helper).</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Remaining(duration).TotalSeconds * Stopwatch.Frequency);
        var pause = interval ?? TimeSpan.FromMilliseconds(10);
        using var gate = new ManualResetEventSlim(false);
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Stopwatch.GetTimestamp() < deadline)
            {
                gate.Wait(pause);
            }
        }
    }

    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, TimeSpan? interval = null, string? message = null) =>
        AwaitAssert(() => Assert.True(condition(), message ?? "Condition not met"), duration, interval);
}
