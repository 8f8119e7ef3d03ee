using System.Text.Json;
using HueyP.Engine.Orders;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;

namespace HueyP.Node.Tests;

/// <summary>
/// The operator's --reason reaches the node's audit log (logs/audit.jsonl) with the call: kill-switch on|off,
/// orders cancel|cancel-all and mode clear send it in the X-HueyP-Reason header. A real node with the order side live.
/// </summary>
public sealed class AdminReasonAuditTests : IAsyncLifetime
{
    private string _folder = "";
    private RunningNode _node = null!;

    private string TokenFile => Path.Combine(_folder, "admin.token");

    private string[] Cli(params string[] args) => [.. args, "--node", _node.Admin.Address, "--token-file", TokenFile];

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hueyp-reason-audit").FullName;
        var configFile = Path.Combine(_folder, "test.conf");
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        await File.WriteAllTextAsync(configFile, $$"""
            include "{{reference}}"
            hueyp {
              node { name = "reason-node", run-dir = "{{_folder}}" }
              admin.port = 0
              logging.console = off
              engine.constraints = "{{Path.Combine(AppContext.BaseDirectory, "data", "constraints.json")}}"
            }
            """);
        string[] symbols = ["EURUSD"];
        _node = await NodeHost.StartAsync(configFile, TextWriter.Null,
            engine: s => EngineConfiguration.LiveEngine(s) with { Symbols = symbols, Orders = OrderSideSettings.PaperFx(symbols) });
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the OS temp cleaner gets it.
        }
    }

    /// <summary>The reason recorded with the newest audit entry for <paramref name="target"/>.</summary>
    private async Task<string?> AuditedReasonAsync(string target)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(_folder, "logs", "audit.jsonl"));
        var entry = lines.Select(l => JsonDocument.Parse(l).RootElement).Last(e => e.GetProperty("target").GetString() == target);
        return entry.GetProperty("reason").GetString();
    }

    [Fact]
    public async Task Kill_switch_cancel_all_and_mode_clear_write_the_operators_reason_into_the_audit_log()
    {
        var on = await CliHarness.RunAsync(Cli("kill-switch", "on", "--reason", "runaway strategy", "--json"));
        Assert.Equal(ExitCodes.Ok, on.ExitCode);
        Assert.Equal("runaway strategy", await AuditedReasonAsync("/api/kill-switch"));
        var off = await CliHarness.RunAsync(Cli("kill-switch", "off", "--reason", "fixed"));
        Assert.Equal(ExitCodes.Ok, off.ExitCode);
        Assert.Equal("fixed", await AuditedReasonAsync("/api/kill-switch"));

        var cancelAll = await CliHarness.RunAsync(Cli("orders", "cancel-all", "--reason", "end of day", "--json"));
        Assert.Equal(ExitCodes.Ok, cancelAll.ExitCode);
        Assert.Equal("end of day", await AuditedReasonAsync("/api/orders/cancel-all"));
        // The reason is optional for a cancel: without one the call still works and the entry has none.
        var unexplained = await CliHarness.RunAsync(Cli("orders", "cancel-all", "--json"));
        Assert.Equal(ExitCodes.Ok, unexplained.ExitCode);
        Assert.Null(await AuditedReasonAsync("/api/orders/cancel-all"));

        const string unknown = "EMAX-EURUSD-20250401T1030-0999";
        await CliHarness.RunAsync(Cli("orders", "cancel", unknown, "--reason", "stale quote"));
        Assert.Equal("stale quote", await AuditedReasonAsync($"/api/orders/{unknown}/cancel"));

        // Refused (the node is not in SAFE_MODE), and still audited with why the operator tried.
        await CliHarness.RunAsync(Cli("mode", "clear", "--reason", "risk reviewed"));
        Assert.Equal("risk reviewed", await AuditedReasonAsync("/api/mode/clear"));
    }

    [Fact]
    public async Task A_reason_outside_printable_ASCII_still_reaches_the_audit_log_percent_encoded()
    {
        var on = await CliHarness.RunAsync(Cli("kill-switch", "on", "--reason", "Ölpreis: Stopp", "--json"));

        Assert.Equal(ExitCodes.Ok, on.ExitCode);
        Assert.Equal(Uri.EscapeDataString("Ölpreis: Stopp"), await AuditedReasonAsync("/api/kill-switch"));
    }
}
