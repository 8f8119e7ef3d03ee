using HueyP.Persistence.Journal;

namespace HueyP.Node.Hosting;

/// <summary>
/// A module that decides when this node may write (the cluster member): it supplies the journal's write fence, may
/// adjust the journal's connection string, and starts and stops the engine itself, so the host does not start it.
/// </summary>
public interface IJournalFenceSource
{
    IWriteFence Fence { get; }

    string JournalConnectionString(string configured);
}
