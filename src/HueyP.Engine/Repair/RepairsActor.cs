using System.Globalization;
using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Engine.Breakers;

namespace HueyP.Engine.Repair;

public sealed record RepairsSettings
{
    /// <summary>The runbook started when the journal breaker opens; null: none (an operator repairs by hand).</summary>
    public Func<Runbook>? JournalRunbook { get; init; }
}

/// <summary>
/// /user/engine/repairs: parent of the running <see cref="RepairActor"/>s. Starts a runbook on <see cref="StartRepair"/>
/// (the bridge's transports supervisor sends its comm runbook here) and, by itself, the journal runbook when the
/// journal breaker opens. At most one repair per (path, target) runs at a time.
/// </summary>
public sealed class RepairsActor : ReceiveActor
{
    public const string ActorName = "repairs";

    private readonly RepairsSettings _settings;
    private readonly IActorRef _mode;
    private readonly Dictionary<string, (IActorRef Actor, string Key)> _running = new(StringComparer.Ordinal);
    private int _started;

    public RepairsActor(RepairsSettings settings, IActorRef mode)
    {
        _settings = settings;
        _mode = mode;
        Receive<StartRepair>(s => Sender.Tell(Start(s.Runbook)));
        Receive<BreakerStateChanged>(c =>
        {
            if (c.Dependency == Dependencies.Journal && c.To == BreakerStatus.Open && _settings.JournalRunbook is { } runbook) Start(runbook());
        });
        Receive<Terminated>(t =>
        {
            var ended = _running.FirstOrDefault(r => r.Value.Actor.Equals(t.ActorRef));
            if (ended.Key is not null) _running.Remove(ended.Key);
        });
    }

    public static Props Props(IActorRef mode, RepairsSettings? settings = null)
    {
        var s = settings ?? new RepairsSettings();
        return Actors.Props.Create(() => new RepairsActor(s, mode));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(BreakerStateChanged));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private RepairStarted Start(Runbook runbook)
    {
        var key = $"{runbook.Path}/{runbook.Target}";
        var running = _running.FirstOrDefault(r => r.Value.Key == key);
        if (running.Key is not null) return new RepairStarted(running.Key, AlreadyRunning: true);
        var id = $"{runbook.Name}-{Context.System.Scheduler.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)}-{++_started}";
        var actor = Context.ActorOf(RepairActor.Props(runbook, id, _mode), id);
        Context.Watch(actor);
        _running[id] = (actor, key);
        return new RepairStarted(id, AlreadyRunning: false);
    }
}
