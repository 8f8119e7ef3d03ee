using HueyP.Actors;

namespace HueyP.Engine.Decisions;

/// <summary>
/// /user/engine/decisions: collects every decision record, commits them in canonical order, appends them as JSONL
/// (on a background writer, so the pipeline never waits for the disk) and keeps counts and the replay hash.
/// In replay, records wait for <see cref="SliceComplete"/>; in live mode they are committed on arrival.
/// </summary>
internal sealed class DecisionRecorderActor : ReceiveActor
{
    public DecisionRecorderActor(RecorderState state, EngineMode mode)
    {
        if (mode == EngineMode.Replay) Receive<RecordDecision>(state.Add);
        else Receive<RecordDecision>(record => state.Commit(record.Record));
        Receive<SliceComplete>(_ => state.CommitPending());
        Receive<GetRecorderStats>(_ => Sender.Tell(state.Stats()));
        ReceiveAsync<FlushRecords>(async _ =>
        {
            state.CommitPending();
            var replyTo = Sender;
            await state.FlushAsync();
            replyTo.Tell(state.Stats());
        });
    }

    public static Props Props(RecorderState state, EngineMode mode) =>
        Actors.Props.Create(() => new DecisionRecorderActor(state, mode));
}
