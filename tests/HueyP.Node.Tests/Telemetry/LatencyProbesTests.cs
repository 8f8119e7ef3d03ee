using System.Net.Http.Headers;
using HueyP.Actors;
using System.Text.Json;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>
/// The SLO strip's latencies and their histograms on /metrics, on a real node: a live quote gives tick to decision, an
/// order the paper broker acknowledges gives order ack, and the journal's commits give journal write latency and batch size.
/// </summary>
public sealed class LatencyProbesTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_quote_an_order_and_journal_commits_fill_the_slo_strip_and_the_latency_histograms()
    {
        var engine = _node.Node.Runtime.Engine!;
        var now = DateTime.UtcNow;
        engine.PublishLive(new Quote("EURUSD", now, 1.0800, 1.0802));
        engine.Sink.Submit(new OrderIntent("EMAX", "EURUSD", Side.Buy, 0.1m, OrderType.Limit, now.AddMinutes(-5), now, 1.08, 1.0790, 1.07, 1.09, 1, "test"), null!);

        var slo = await WaitFor(s => s.Slo.TickToDecisionP99Ms is not null && s.Slo.OrderAckP99Ms is not null && s.Slo.JournalWriteP99Ms is not null,
            "tick to decision, order ack and journal write p99");

        Assert.True(slo.TickToDecisionP99Ms >= 0);
        Assert.True(slo.OrderAckP99Ms >= 0);
        Assert.True(slo.JournalWriteP99Ms > 0);
        Assert.NotNull(slo.ErrorBudgetLeftFrac);
        Assert.InRange(slo.ErrorBudgetLeftFrac!.Value, 0, 1);

        // The same figures reach the page through the API.
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(_node.TokenFile)).Trim());
        var state = JsonDocument.Parse(await http.GetStringAsync("/api/dashboard/state")).RootElement;
        var wire = state.GetProperty("snapshot").GetProperty("slo");
        Assert.Equal(JsonValueKind.Number, wire.GetProperty("tick_to_decision_p99_ms").ValueKind);
        Assert.Equal(JsonValueKind.Number, wire.GetProperty("journal_write_p99_ms").ValueKind);

        var scrape = PrometheusText.Parse(await http.GetStringAsync("/metrics"));
        foreach (var name in new[] { "hueyp_tick_to_decision_seconds", "hueyp_order_ack_seconds", "hueyp_journal_write_seconds", "hueyp_journal_batch_events" })
        {
            Assert.Equal("histogram", scrape.Types[name]);
            Assert.True(scrape.Value(name + "_count") >= 1, $"{name} has no observation");
            Assert.Equal(scrape.Value(name + "_count"), scrape.Value(name + "_bucket", ("le", "+Inf")));
        }

        // Batch sizes are counted in events, not seconds: a one-event commit lands in the le="1" bucket.
        Assert.NotNull(scrape.Value("hueyp_journal_batch_events_bucket", ("le", "1")));
        Assert.True(scrape.Value("hueyp_journal_batch_events_sum") >= scrape.Value("hueyp_journal_batch_events_count"));
        Assert.DoesNotContain("not measured yet", await http.GetStringAsync("/metrics"));
    }

    private async Task<SloSection> WaitFor(Func<TelemetrySnapshot, bool> ready, string what)
    {
        var telemetry = _node.Node.Runtime.Module<TelemetryModule>()!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await telemetry.Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));
            if (ready(telemetry.Hub!.Latest)) return telemetry.Hub.Latest.Slo;
            Assert.True(DateTime.UtcNow < deadline, $"telemetry never showed {what}");
            await Task.Delay(100);
        }
    }
}
