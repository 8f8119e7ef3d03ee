using System.Net;
using HueyP.Domain.Market;

namespace HueyP.Bridge.Simulator;

/// <summary>How the simulated EA reaches the bridge; transports are tried in order socket, pipe, spool.</summary>
public sealed record EaSimulatorOptions
{
    public IPEndPoint? Socket { get; init; }

    /// <summary>
    /// Further nodes' bridge sockets (a cluster pair): the EA trades with one node at a time, starting with
    /// <see cref="Socket"/>; it follows a STATUS STANDBY to the active node it names, and on a failed connection tries
    /// the next endpoint.
    /// </summary>
    public IReadOnlyList<IPEndPoint> OtherSockets { get; init; } = [];

    /// <summary>How long to wait before reconnecting a local link (the pipe) to a node that said it is a standby.</summary>
    public TimeSpan StandbyRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Unix domain socket path (or pipe name on Windows).</summary>
    public string? Pipe { get; init; }

    /// <summary>Spool root (the one the bridge's spool transport uses); polled while no stream connects.</summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>Shared v1.2 key; null makes the EA offer only v1.0.</summary>
    public byte[]? HmacKey { get; init; }

    /// <summary>False plays a legacy EA that never negotiates and simply talks v1.0.</summary>
    public bool Negotiate { get; init; } = true;

    public IEnumerable<Quote> Quotes { get; init; } = [];

    /// <summary>Pause between TICKs, so the EA stays under the bridge's inbound rate limit.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public string Source { get; init; } = "mt4-ea";

    /// <summary>File the <see cref="OrderWitness"/> appends one JSON line to per order received (see <see cref="WitnessLine"/>); null: none.</summary>
    public string? WitnessFile { get; init; }
}
