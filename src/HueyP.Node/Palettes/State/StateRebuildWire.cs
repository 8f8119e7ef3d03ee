using HueyP.Engine.Ledger;

namespace HueyP.Node.Palettes.State;

/// <summary>
/// What `hueyp state rebuild` prints, from a journal file or from a running node. From a node, the hashes of the state
/// its actors hold are added and must equal the rebuilt ones too.
/// </summary>
public sealed record StateRebuildWire(
    long Events, int Orders, long LedgerEvents, string RebuiltLedgerHash, string JournalLedgerHash, long? SnapshotSequenceNr,
    string OrdersHash, string StateHash, string? NodeLedgerHash, string? NodeOrdersHash, string? NodeStateHash, bool Consistent)
{
    public static StateRebuildWire Of(StateRebuild r, string? nodeLedgerHash = null, string? nodeOrdersHash = null, string? nodeStateHash = null) => new(
        r.Events, r.Orders, r.LedgerEvents, r.RebuiltLedgerHash, r.JournalLedgerHash, r.SnapshotSequenceNr, r.OrdersHash, r.StateHash,
        nodeLedgerHash, nodeOrdersHash, nodeStateHash,
        r.Consistent && (nodeStateHash is null || nodeStateHash == r.StateHash));
}
