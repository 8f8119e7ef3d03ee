namespace HueyP.Node.Cli;

/// <summary>The node could not be reached: exit code 3, with the address tried and how to start one.</summary>
public sealed class NodeUnreachableException(string address, string reason)
    : Exception($"No HueyP node answered at {address} ({reason}).\nStart one with `scripts/run.sh` or `hueyp node run`, or point at another with --node host:port.")
{
    public string Address { get; } = address;
}

/// <summary>A command ran but did not succeed (the node said no, a file was bad): exit code 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);
