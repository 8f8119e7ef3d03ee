namespace HueyP.Cluster.Tests.Lease;

/// <summary>The lease timing the actor specs run on virtual time: the defaults, spelled out so a spec's arithmetic reads from here.</summary>
internal static class TestClusterSettings
{
    public static readonly ClusterSettings NodeA = new()
    {
        NodeName = "node-a",
        RenewInterval = TimeSpan.FromMilliseconds(500),
        LeaseTtl = TimeSpan.FromSeconds(2),
        AcquireInterval = TimeSpan.FromMilliseconds(200),
        StepDownHold = TimeSpan.FromSeconds(5),
    };
}
