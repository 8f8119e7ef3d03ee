using System.Net;
using HueyP.Actors;
using System.Net.Http.Headers;
using System.Text.Json;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>/metrics and the state files on a real node (telemetry on by default).</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token-at-all")]
    public async Task Metrics_without_the_token_are_refused(string? token)
    {
        using var http = Client(token);

        var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("hueyp_", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_parse_as_prometheus_text_and_show_the_mode_breakers_and_ticks()
    {
        using var http = Client((await File.ReadAllTextAsync(_node.TokenFile)).Trim());
        _node.Node.Runtime.Engine!.PublishLive(new HueyP.Domain.Market.Quote("EURUSD", DateTime.UtcNow, 1.0800, 1.0801));
        await WaitFor(s => s.Mode is not null && s.Breakers.Count > 0 && s.Symbols.Any(x => x.Symbol == "EURUSD" && x.Quotes > 0), "the mode, the breakers and the EURUSD tick");

        var response = await http.GetAsync("/metrics");
        var scrape = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(1, scrape.Value("hueyp_mode", ("mode", "NORMAL")));
        Assert.Equal(0, scrape.Value("hueyp_mode", ("mode", "SAFE_MODE")));
        Assert.Equal(0, scrape.Value("hueyp_breaker_state", ("dependency", "broker_submit")));
        Assert.Equal("counter", scrape.Types["hueyp_ticks_total"]);
        Assert.Equal(1, scrape.Value("hueyp_ticks_total", ("symbol", "EURUSD")));
        Assert.Equal("histogram", scrape.Types["hueyp_telemetry_write_seconds"]);
        Assert.True(scrape.Value("hueyp_telemetry_write_seconds_count") >= 1);
        Assert.Contains(scrape.Samples, s => s.Name == "hueyp_mailbox_depth" && s.Labels.ContainsKey("path"));
        Assert.Contains(scrape.Samples, s => s.Name == "hueyp_actor_restarts_total");
    }

    [Fact]
    public async Task The_node_writes_every_state_file_and_log_under_its_run_folder()
    {
        await WaitFor(s => s.Mode is not null && s.Breakers.Count > 0, "the mode and the breakers");

        foreach (var name in new[] { "nav.json", "positions.json", "risk_snapshot.json", "router_health.json", "kpis.json", "execution_health.json" })
        {
            var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_node.Folder, "state", name))).RootElement;
            Assert.Equal(1, json.GetProperty("schema").GetInt32());
        }

        var execution = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_node.Folder, "state", "execution_health.json"))).RootElement;
        Assert.Equal("NORMAL", execution.GetProperty("mode").GetString());
        Assert.Equal(6, execution.GetProperty("breakers").GetArrayLength());
        foreach (var log in new[] { "events.jsonl", "orders_executed.jsonl", "risk_vetoes.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(_node.Folder, "logs", log)), log);
        }
    }

    /// <summary>Asks telemetry to publish until its snapshot shows <paramref name="ready"/>; fails after 30 s.</summary>
    private async Task WaitFor(Func<TelemetrySnapshot, bool> ready, string what)
    {
        var telemetry = _node.Node.Runtime.Module<TelemetryModule>()!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await telemetry.Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));
            if (ready(telemetry.Hub!.Latest)) return;
            Assert.True(DateTime.UtcNow < deadline, $"telemetry never showed {what}");
            await Task.Delay(100);
        }
    }
}
