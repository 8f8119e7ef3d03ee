using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace HueyP.Tests.Shared;

/// <summary>
/// A PostgreSQL server of the test's own (scripts/pg.sh start), for tests that stop and start the server: the shared
/// HUEYP_TEST_PG server must stay up for every other test. Stop and start keep the data directory and the port.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _directory;

    private ThrowawayPostgres(string directory, string connectionString)
    {
        _directory = directory;
        ConnectionString = connectionString;
    }

    /// <summary>Connection string of the database hueyp_test as the superuser (trust, loopback only).</summary>
    public string ConnectionString { get; }

    private string Port => File.ReadAllText(Path.Combine(_directory, "port")).Trim();

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("hueyp-pg-restart-").FullName;
        var (code, output) = await RunAsync("bash", [PgScript, "start", directory]);
        if (code != 0) throw new InvalidOperationException($"scripts/pg.sh start failed ({code}):\n{output}");
        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return new ThrowawayPostgres(directory, connectionString);
    }

    /// <summary>pg_ctl stop -m fast: every session is ended, as a database restart or failover does to its clients.</summary>
    public async Task StopServerAsync()
    {
        var (code, output) = await ServerAsync(["-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "-t", "60", "stop"]);
        if (code != 0) throw new InvalidOperationException($"pg_ctl stop failed ({code}):\n{output}");
    }

    /// <summary>Starts the stopped server again on the same port with the same data.</summary>
    public async Task StartServerAsync()
    {
        var (code, output) = await ServerAsync(["-D", Path.Combine(_directory, "data"), "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"]);
        if (code != 0) throw new InvalidOperationException($"pg_ctl start failed ({code}):\n{output}");
        // This test process's own pooled connections died with the old server.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await RunAsync("bash", [PgScript, "stop", _directory]);
    }

    /// <summary>scripts/pg.sh of the source tree this test was built from.</summary>
    private static string PgScript => Path.Combine(RepositoryRoot(), "scripts", "pg.sh");

    private static string RepositoryRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));

    private static string PgCtl =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).Where(File.Exists).OrderDescending().FirstOrDefault() ?? "pg_ctl"
            : "pg_ctl";

    /// <summary>The server refuses to run as root: as pg.sh does, run pg_ctl as the postgres user then.</summary>
    private static Task<(int, string)> ServerAsync(string[] args) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", PgCtl, .. args]) : RunAsync(PgCtl, args);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
