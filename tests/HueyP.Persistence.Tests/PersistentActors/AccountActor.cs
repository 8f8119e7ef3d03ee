using HueyP.Actors;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.PersistentActors;

public sealed record Deposit(decimal Amount);
public sealed record DepositUnstorable(string Text);
public sealed record DepositTwice(decimal First, decimal Second);
public sealed record DepositThenDefer(decimal Amount);
public sealed record GetBalance;
public sealed record Balance(decimal Amount, long SequenceNr);
public sealed record TakeSnapshot;
public sealed record Recovered(decimal Balance, long SequenceNr, long FromSnapshot);
public sealed record Deferred(decimal BalanceAtDefer);
public sealed record Rejected(string Reason);

/// <summary>A small event-sourced account: what an order or the ledger will be, without the trading.</summary>
public sealed class AccountActor : ReceivePersistentActor
{
    private readonly string _id;
    private decimal _balance;

    public AccountActor(string id, IActorRef observer)
    {
        _id = id;
        Recover<SnapshotOffer>(offer => _balance = ((AccountSnapshot)offer.Snapshot).Balance);
        Recover<Deposited>(e => _balance += e.Amount);
        Recover<RecoveryCompleted>(_ => observer.Tell(new Recovered(_balance, LastSequenceNr, SnapshotSequenceNr)));

        Command<Deposit>(c => Persist(new Deposited(_id, c.Amount), e =>
        {
            _balance += e.Amount;
            Sender.Tell(new Balance(_balance, LastSequenceNr));
        }));
        Command<DepositTwice>(c => PersistAll([new Deposited(_id, c.First), new Deposited(_id, c.Second)], e =>
        {
            _balance += e.Amount;
            Sender.Tell(new Balance(_balance, LastSequenceNr));
        }));
        Command<DepositUnstorable>(c => Persist(new NotRegistered(c.Text), _ => Sender.Tell("handler ran for a rejected event")));
        Command<DepositThenDefer>(c =>
        {
            PersistAsync(new Deposited(_id, c.Amount), e => _balance += e.Amount);
            DeferAsync("after", _ => Sender.Tell(new Deferred(_balance)));
        });
        Command<GetBalance>(_ => Sender.Tell(new Balance(_balance, LastSequenceNr)));
        Command<TakeSnapshot>(_ => SaveSnapshot(new AccountSnapshot(_id, _balance, "")));
        Command<SaveSnapshotSuccess>(s => observer.Tell(s));
        Command<SaveSnapshotFailure>(s => observer.Tell(s));
        Observer = observer;
    }

    private IActorRef Observer { get; }

    public override string PersistenceId => $"account-{_id}";

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        Observer.Tell(new Rejected(cause.Message));
    }
}
