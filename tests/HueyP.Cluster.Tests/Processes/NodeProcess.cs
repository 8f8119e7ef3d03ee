using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// One `hueyp node run` process of a pair, as an operator would start it, with its own run folder and port. Shared
/// by the real-process tests and bench/HueyP.Benchmarks/FailoverBenchmarks.cs (linked into that project), so it
/// uses no test framework: a refused admin request throws.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private readonly string _configFile;
    private readonly string _connectionString;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _stderr = new();

    public NodeProcess(string name, string folder, int port, string connectionString, string extraConfig)
    {
        Name = name;
        RunDir = Path.Combine(folder, name);
        Port = port;
        _connectionString = connectionString;
        Directory.CreateDirectory(RunDir);
        _configFile = Path.Combine(folder, $"{name}.conf");
        File.WriteAllText(_configFile, $$"""
            include "{{Path.Combine(NodeDirectory, "hocon", "reference.conf")}}"
            hueyp {
              node { name = "{{name}}", role = "candidate", run-dir = "{{RunDir}}" }
              admin.port = {{port}}
              logging.console = off
              persistence.provider = "postgresql"
              engine.constraints = "{{DataFile("constraints.json")}}"
              telemetry.enabled = off
            }
            {{extraConfig}}
            """);
    }

    public string Name { get; }
    public string RunDir { get; }
    public int Port { get; }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>
    /// The built node: bin of src/HueyP.Node beside this assembly's bin, whatever the artifacts path (the tests' or the
    /// benchmarks' build); HUEYP_NODE_DLL overrides.
    /// </summary>
    public static string NodeDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("HUEYP_NODE_DLL") is { Length: > 0 } explicitPath) return Path.GetDirectoryName(Path.GetFullPath(explicitPath))!;
            var here = AppContext.BaseDirectory;
            var project = typeof(NodeProcess).Assembly.GetName().Name!;
            var separator = Path.DirectorySeparatorChar;
            var candidates = new[]
            {
                here.Replace($"{separator}{project}{separator}", $"{separator}HueyP.Node{separator}"), // --artifacts-path: bin/<project>/release
                here.Replace($"tests{separator}{project}", $"src{separator}HueyP.Node"),
                here.Replace($"bench{separator}{project}", $"src{separator}HueyP.Node"),
            };
            return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "hueyp.dll")))
                ?? throw new FileNotFoundException($"the built hueyp.dll was not found beside {here}; build src/HueyP.Node or set HUEYP_NODE_DLL");
        }
    }

    /// <summary>A file of the repository's data folder: copied beside the tests, read from the working directory by the benchmarks.</summary>
    public static string DataFile(string name)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", name);
        return File.Exists(beside) ? beside : Path.GetFullPath(Path.Combine("data", name));
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768–60999): a node keeps its admin port across kill and restart,
    /// and a port from the ephemeral range can meanwhile become the local end of some outgoing connection.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
        throw new InvalidOperationException("no free port between 20000 and 32000");
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(NodeDirectory, "hueyp.dll"), "node", "run", "--config", _configFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RunDir,
        };
        info.Environment["HUEYP_PG"] = _connectionString;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        // Drain the pipes so the node never blocks on a full one.
        _process.OutputDataReceived += (_, _) => { };
        // A node that cannot start says why on stderr before it has a log file; keep that for the failure message.
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) _stderr.Enqueue(line); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>kill -9: no shutdown hook runs, the sockets are closed by the kernel.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(30_000);
        }
    }

    public void Freeze() => Signal(SigStop);

    public void Thaw() => Signal(SigCont);

    private void Signal(int signal)
    {
        if (_process is not { HasExited: false } p) throw new InvalidOperationException($"{Name} is not running");
        if (Kill(p.Id, signal) != 0) throw new InvalidOperationException($"kill({p.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>GET /api/cluster, or null while the node is not answering (starting, frozen, dead).</summary>
    public Task<JsonElement?> StatusAsync() => GetAsync("/api/cluster");

    /// <summary>GET an admin API route with the node's token; null unless it answers 2xx (starting, frozen, dead, 503 on a standby).</summary>
    public async Task<JsonElement?> GetAsync(string route, TimeSpan? timeout = null)
    {
        var token = Path.Combine(RunDir, "admin.token");
        if (!File.Exists(token)) return null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Port}{route}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(token)).Trim());
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
            using var response = await _http.SendAsync(request, deadline.Token);
            if (!response.IsSuccessStatusCode) return null;
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    public async Task<(string Role, long Epoch, long FencedWrites)?> RoleAsync() =>
        await StatusAsync() is { } json ? (json.GetProperty("role").GetString()!, json.GetProperty("epoch").GetInt64(), json.GetProperty("fenced_writes").GetInt64()) : null;

    /// <summary>POST /api/cluster/drill-feed: pause (or resume) the recorded ticks this node feeds while active.</summary>
    public async Task PauseDrillFeedAsync(bool paused)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Port}/api/cluster/drill-feed")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { paused }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(RunDir, "admin.token"))).Trim());
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"drill-feed pause={paused} on {Name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonElement> StepDownAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{Port}/api/cluster/step-down");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(RunDir, "admin.token"))).Trim());
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"step-down on {Name} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public string LogTail(int lines = 30)
    {
        var logs = Path.Combine(RunDir, "logs");
        var file = Directory.Exists(logs) ? Directory.GetFiles(logs, "hueyp-*.json").OrderBy(f => f).LastOrDefault() : null;
        if (file is null) return _stderr.IsEmpty ? "(no log)" : "(no log; stderr:)\n" + string.Join("\n", _stderr.TakeLast(lines));
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        // The rendered message of each JSON line is enough to tell what the node did.
        var messages = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(line =>
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                return $"{root.GetProperty("Timestamp").GetString()?[11..23]} {root.GetProperty("RenderedMessage").GetString()}";
            }
            catch (JsonException)
            {
                return line;
            }
        });
        return string.Join('\n', messages);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            try { Thaw(); } catch (InvalidOperationException) { }
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _http.Dispose();
    }
}
