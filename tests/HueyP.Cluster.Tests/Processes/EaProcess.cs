using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// `hueyp ea-sim` as its own process (the same hueyp.dll the nodes run): the MT4 EA in front of a pair whose broker is
/// mt4. It is given both nodes' bridge sockets and trades with whichever is active (a standby's STATUS names the active
/// one; a refused connection moves it to the next endpoint). It fills market orders at one fixed quote and streams no
/// ticks: the engine's market is the drill feed (see <see cref="ClusterPair.StartAsync"/>). Every order it receives is
/// a line in <see cref="WitnessFile"/>, read by <see cref="EaWitness"/> while it runs. It outlives every node.
/// </summary>
public sealed class EaProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    /// <summary>Where the EA fills market orders: inside the range of the drill feed's EURUSD day (1.1017–1.1095).</summary>
    public const string FixedQuote = "EURUSD=1.10500/1.10502";

    private readonly string _configFile;
    private readonly string _sockets;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private Process? _process;

    public EaProcess(string folder, string hmacKey, IEnumerable<int> bridgePorts)
    {
        var runDir = Path.Combine(folder, "ea");
        Directory.CreateDirectory(runDir);
        WitnessFile = Path.Combine(runDir, "orders.jsonl");
        Witness = new EaWitness(WitnessFile);
        _sockets = string.Join(',', bridgePorts.Select(p => $"127.0.0.1:{p}"));
        _configFile = Path.Combine(folder, "ea.conf");
        // Only the bridge section matters to ea-sim (the key); socket only: a pipe or spool is one node's, not the pair's.
        File.WriteAllText(_configFile, $$"""
            include "{{Path.Combine(NodeProcess.NodeDirectory, "hocon", "reference.conf")}}"
            hueyp {
              node { name = "ea", run-dir = "{{runDir}}" }
              bridge { hmac-key = "{{hmacKey}}", pipe.enabled = off, spool.enabled = off }
            }
            """);
    }

    public string WitnessFile { get; }

    public EaWitness Witness { get; }

    public bool Running => _process is { HasExited: false };

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(NodeProcess.NodeDirectory, "hueyp.dll"), "ea-sim", "--config", _configFile, "--socket", _sockets,
                "--quote", FixedQuote, "--witness-file", WitnessFile, "--duration-s", "86400",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(WitnessFile)!,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("hueyp ea-sim did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) _output.Enqueue(line); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) _output.Enqueue(line); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What ea-sim printed (its closing JSON with the witness counts and its last connection notes, or why it failed).</summary>
    public string Output => string.Join('\n', _output);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>SIGTERM, so ea-sim prints its counts; killed should it not exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            _ = Kill(p.Id, SigTerm);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await p.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
        }
        _process?.Dispose();
    }
}
