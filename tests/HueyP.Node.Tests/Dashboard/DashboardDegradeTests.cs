using System.Diagnostics;
using System.Net;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Domain.Market;
using HueyP.Node.Bridge;
using HueyP.Node.Cli;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HueyP.Node.Tests.Dashboard;

/// <summary>
/// Degrade and repair as the dashboard shows them: a node with the bridge, the EA simulator on real loopback
/// transports, the socket failed from the CLI, the page watched in chromium.
/// </summary>
public sealed class DashboardDegradeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "dashboard-test-shared-key";
    private TestNode _node = null!;
    private DashboardBrowser _browser = null!;
    private string _pipe = "";

    public async Task InitializeAsync()
    {
        _pipe = $"/tmp/hueyp-deck-{Guid.NewGuid():N}.sock";
        _node = await TestNode.StartAsync($$"""
            hueyp.bridge {
              enabled = on
              hmac-key = "{{Key}}"
              socket.port = 0
              pipe.name = "{{_pipe}}"
              # The socket stays down a few seconds, long enough to watch the pipe carry the traffic.
              failover { min-backoff = 3s, max-backoff = 5s, verify-interval = 50ms }
            }
            """);
        _browser = await DashboardBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _node.DisposeAsync();
        if (File.Exists(_pipe)) File.Delete(_pipe);
    }

    private BridgeModule Bridge => _node.Node.Runtime.Module<BridgeModule>() ?? throw new InvalidOperationException("bridge module not running");

    [Fact]
    public async Task Failing_the_socket_turns_the_pill_to_degraded_comm_why_names_the_cause_the_pipe_is_active_and_the_repaired_socket_takes_traffic_back()
    {
        await using var ea = await StartEaAsync();
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, (await File.ReadAllTextAsync(_node.TokenFile)).Trim());
        await Expect(page.Locator("[data-transport=socket][data-state=active]").First, "socket");
        await Expect(page.Locator("[data-testid=mode-pill] .text"), "NORMAL");

        var clock = Stopwatch.StartNew();
        var fail = await CliHarness.RunAsync(_node.Cli("transports", "fail", "socket", "--mode", "close", "--reason", "dashboard test", "--json"));
        Assert.Equal(ExitCodes.Ok, fail.ExitCode);
        await Expect(page.Locator("[data-testid=mode-pill] .text"), "DEGRADED_COMM");
        output.WriteLine($"pill showed DEGRADED_COMM {clock.Elapsed.TotalSeconds:0.00} s after the CLI call was made");
        await page.ClickAsync("#why-mode");
        await Expect(page.Locator("[data-testid=why-panel]"), "transport socket");
        await Expect(page.Locator("[data-transport=pipe][data-state=active]").First, "pipe");
        await DashboardBrowser.ScreenshotAsync(page, "degraded-comm", fullPage: true);
        var why = await page.Locator("[data-testid=why-panel]").TextContentAsync();
        output.WriteLine("Why? " + why);

        // The backoff restarts the socket listener, the EA reconnects, the router goes back to the socket.
        await Expect(page.Locator("[data-transport=socket][data-state=active]").First, "socket", TimeSpan.FromSeconds(60));
        await Expect(page.Locator("[data-testid=timeline]"), "route pipe → socket");
        output.WriteLine($"socket active again {clock.Elapsed.TotalSeconds:0.0} s after the failure");
        await DashboardBrowser.ScreenshotAsync(page, "repaired-route", fullPage: true);
    }

    [Fact]
    public async Task After_the_repair_the_pill_returns_to_normal()
    {
        await using var ea = await StartEaAsync();
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, (await File.ReadAllTextAsync(_node.TokenFile)).Trim());
        await Expect(page.Locator("[data-transport=socket][data-state=active]").First, "socket");
        await Expect(page.Locator("[data-testid=mode-pill] .text"), "NORMAL");
        // The bridge's climb at start (none -> spool -> pipe -> socket as the EA connects) is no degradation.
        var startup = await CliHarness.RunAsync(_node.Cli("mode", "history", "--json"));
        Assert.Equal(ExitCodes.Ok, startup.ExitCode);
        Assert.Empty(startup.Json.GetProperty("transitions").EnumerateArray());

        Assert.Equal(ExitCodes.Ok, (await CliHarness.RunAsync(_node.Cli("transports", "fail", "socket", "--mode", "close", "--reason", "dashboard test"))).ExitCode);
        await Expect(page.Locator("[data-testid=mode-pill] .text"), "DEGRADED_COMM");
        await Expect(page.Locator("[data-testid=mode-pill] .text"), "NORMAL", TimeSpan.FromSeconds(90));
        await DashboardBrowser.ScreenshotAsync(page, "repaired-normal", fullPage: true);
    }

    [Fact]
    public async Task Forcing_the_pipe_from_the_dashboard_moves_traffic_to_it_until_auto_and_both_uses_are_audited()
    {
        await using var ea = await StartEaAsync();
        var page = await _browser.NewPageAsync();
        await DashboardBrowser.LogInAsync(page, _node.Address, (await File.ReadAllTextAsync(_node.TokenFile)).Trim());
        await Expect(page.Locator("[data-transport=socket][data-state=active]").First, "socket");

        await ForceAsync(page, "pipe", "browser test: socket maintenance");
        await Expect(page.Locator("[data-testid=control-result]"), "force_transport done");
        await Expect(page.Locator("[data-transport=pipe][data-state=active]").First, "pipe");
        await DashboardBrowser.ScreenshotAsync(page, "forced-pipe", fullPage: true);

        await ForceAsync(page, "auto", "browser test: maintenance over");
        await Expect(page.Locator("[data-transport=socket][data-state=active]").First, "socket");

        var audit = (await File.ReadAllTextAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"))).Split('\n').Where(l => l.Contains("/api/dashboard/control")).ToList();
        Assert.Contains(audit, l => l.Contains("browser test: socket maintenance") && l.Contains("\"allowed\":true"));
        Assert.Contains(audit, l => l.Contains("browser test: maintenance over") && l.Contains("\"allowed\":true"));
    }

    private static async Task ForceAsync(IPage page, string transport, string reason)
    {
        await page.ClickAsync("[data-testid=force-transport]");
        await page.WaitForSelectorAsync("[data-testid=confirm-dialog][open]");
        Assert.Equal(["socket", "pipe", "spool", "auto"], await page.Locator("[data-testid=confirm-transport] option").AllTextContentsAsync());
        await page.SelectOptionAsync("[data-testid=confirm-transport]", transport);
        await page.FillAsync("[data-testid=confirm-reason]", reason);
        await page.ClickAsync("[data-testid=confirm-ok]");
    }

    private async Task<EaSimulator> StartEaAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Bridge.Endpoints.ContainsKey(TransportKind.Socket))
        {
            Assert.True(DateTime.UtcNow < deadline, "the bridge socket never listened");
            await Task.Delay(25);
        }

        var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = IPEndPoint.Parse(Bridge.Endpoints[TransportKind.Socket]),
            Pipe = _pipe,
            SpoolDirectory = Bridge.Settings.Spool!.Directory,
            HmacKey = System.Text.Encoding.UTF8.GetBytes(Key),
            Quotes = Enumerable.Range(0, 100_000).Select(i => new Quote("EURUSD", DateTime.UtcNow.AddMilliseconds(i * 50), 1.08 + (i % 50) * 1e-5, 1.0802 + (i % 50) * 1e-5)),
            TickInterval = TimeSpan.FromMilliseconds(50),
        });
        ea.Start();
        return ea;
    }

    private static Task Expect(ILocator locator, string text, TimeSpan? timeout = null) =>
        Assertions.Expect(locator).ToContainTextAsync(text, new LocatorAssertionsToContainTextOptions { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds });
}
