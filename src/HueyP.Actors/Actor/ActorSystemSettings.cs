using HueyP.Actors.Dispatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HueyP.Actors;

/// <summary>Plain options for an actor system (the node maps its HOCON onto this).</summary>
public sealed record ActorSystemSettings
{
    public static readonly ActorSystemSettings Default = new();

    /// <summary>Messages an actor processes per scheduling before yielding its thread (Akka's dispatcher throughput).</summary>
    public int Throughput { get; init; } = 64;

    public TimeSpan DefaultAskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for the scheduler, timers, receive timeouts, backoff and restart windows; virtual in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Dead letters are logged at most once per recipient per this interval (they are always counted).</summary>
    public TimeSpan DeadLetterLogInterval { get; init; } = TimeSpan.FromSeconds(1);

    public bool LogDeadLetters { get; init; } = true;

    /// <summary>Mailbox used when Props does not choose one.</summary>
    public MailboxSettings DefaultMailbox { get; init; } = MailboxSettings.Unbounded;

    /// <summary>Strategy of the /user guardian toward top-level actors.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;
}
