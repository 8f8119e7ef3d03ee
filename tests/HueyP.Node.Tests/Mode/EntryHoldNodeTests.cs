using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HueyP.Actors;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Modes;

/// <summary>
/// The hold on new entries on a running node: the dashboard's control puts it on (audited, journaled, shown in the
/// incident timeline and "Why?"), `hueyp mode show` names who holds it and why, `hueyp mode release` ends it.
/// </summary>
public sealed class EntryHoldNodeTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _token = (await File.ReadAllTextAsync(_node.TokenFile)).Trim();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private HttpClient Dashboard()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        http.DefaultRequestHeaders.Add("X-HueyP-Dashboard", "1");
        return http;
    }

    /// <summary>As the page sends it: the reason in the body and in X-HueyP-Reason (what the audit log keeps).</summary>
    private static HttpRequestMessage Control(string action, string reason)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/control")
        {
            Content = new StringContent($$"""{"action":"{{action}}","reason":"{{reason}}","confirm":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-HueyP-Reason", reason);
        return request;
    }

    [Fact]
    public async Task The_dashboard_holds_new_entries_the_cli_shows_who_and_why_and_releases_them()
    {
        using var http = Dashboard();
        var state = JsonDocument.Parse(await http.GetStringAsync("/api/dashboard/state")).RootElement;
        Assert.True(state.GetProperty("controls").GetProperty("hold_entries").GetProperty("available").GetBoolean());

        var hold = await http.SendAsync(Control("hold_entries", "FOMC in five minutes"));
        var held = JsonDocument.Parse(await hold.Content.ReadAsStringAsync()).RootElement;
        var show = await CliHarness.RunAsync(_node.Cli("mode", "show"));
        var showJson = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));

        Assert.Equal(HttpStatusCode.OK, hold.StatusCode);
        Assert.Equal("DEGRADED_EXEC", held.GetProperty("mode").GetString());
        Assert.Equal("dashboard", held.GetProperty("hold").GetProperty("who").GetString());
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("DEGRADED_EXEC", show.Output);
        Assert.Contains("new entries held", show.Output.Replace("\n", " "), StringComparison.Ordinal);
        Assert.Contains("FOMC", show.Output); // the console may wrap the line
        Assert.False(showJson.Json.GetProperty("permissions").GetProperty("allows_new_entries").GetBoolean());
        Assert.True(showJson.Json.GetProperty("permissions").GetProperty("allows_exit_management").GetBoolean());
        Assert.Equal("NORMAL", showJson.Json.GetProperty("ladder_mode").GetString());

        // The timeline and "Why?" name the hold.
        var snapshot = await WaitFor(s => s.Timeline.Any(e => e.Kind == "entry_hold") && s.Mode?.Hold is not null, "the hold in the timeline");
        var timeline = snapshot.Timeline.First(e => e.Kind == "entry_hold");
        Assert.Contains("dashboard", timeline.Summary);
        Assert.Contains("FOMC in five minutes", timeline.Why!);
        Assert.Equal("DEGRADED_EXEC", snapshot.Mode!.Mode);
        Assert.Contains(snapshot.Mode.Conditions, c => c.Key == "operator.hold" && c.Cause.Contains("FOMC"));
        var events = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "events.jsonl"));
        Assert.Contains(events, l => l.Contains("\"entry_hold\"") && l.Contains("FOMC in five minutes"));
        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        Assert.Contains(audit, l => l.Contains("/api/dashboard/control") && l.Contains("FOMC in five minutes"));

        var release = await CliHarness.RunAsync(_node.Cli("mode", "release", "--reason", "statement out"));
        var after = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));

        Assert.Equal(0, release.ExitCode);
        Assert.Contains("not held", release.Output);
        Assert.Equal("NORMAL", after.Json.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, after.Json.GetProperty("hold").ValueKind);
    }

    [Fact]
    public async Task A_hold_without_a_reason_is_refused_and_changes_nothing()
    {
        var cli = await CliHarness.RunAsync(_node.Cli("mode", "hold", "--reason", " "));
        var show = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));

        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("reason", cli.Error + cli.Output);
        Assert.Equal("NORMAL", show.Json.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, show.Json.GetProperty("hold").ValueKind);
    }

    private async Task<TelemetrySnapshot> WaitFor(Func<TelemetrySnapshot, bool> ready, string what)
    {
        var telemetry = _node.Node.Runtime.Module<TelemetryModule>()!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await telemetry.Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));
            if (ready(telemetry.Hub!.Latest)) return telemetry.Hub.Latest;
            Assert.True(DateTime.UtcNow < deadline, $"telemetry never showed {what}");
            await Task.Delay(100);
        }
    }
}
