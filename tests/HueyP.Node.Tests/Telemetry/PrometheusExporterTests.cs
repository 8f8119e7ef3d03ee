using System.Diagnostics.Metrics;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Counters_gauges_and_histograms_come_out_in_the_text_format_with_their_values()
    {
        using var meter = new Meter("test-" + Guid.NewGuid());
        var orders = meter.CreateCounter<long>("orders", null, "Orders by state");
        var latency = meter.CreateHistogram<double>("write_seconds", "s", "Write latency");
        var depth = 7;
        meter.CreateObservableGauge("mailbox_depth", () => new Measurement<int>(depth, new KeyValuePair<string, object?>("path", "/user/engine/\"x\"")), null, "Depth");
        using var exporter = new PrometheusExporter(meter);

        orders.Add(2, new KeyValuePair<string, object?>("state", "filled"));
        orders.Add(3, new KeyValuePair<string, object?>("state", "filled"));
        orders.Add(1, new KeyValuePair<string, object?>("state", "rejected"));
        latency.Record(0.003);
        latency.Record(0.2);
        var first = PrometheusText.Parse(exporter.Scrape());
        depth = 9;
        var second = PrometheusText.Parse(exporter.Scrape());

        Assert.Equal("counter", first.Types["orders_total"]);
        Assert.Equal(5, first.Value("orders_total", ("state", "filled")));
        Assert.Equal(1, first.Value("orders_total", ("state", "rejected")));
        Assert.Equal("histogram", first.Types["write_seconds"]);
        Assert.Equal(2, first.Value("write_seconds_count"));
        Assert.Equal(0.203, first.Value("write_seconds_sum")!.Value, 9);
        Assert.Equal(1, first.Value("write_seconds_bucket", ("le", "0.005")));
        Assert.Equal(2, first.Value("write_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(7, first.Value("mailbox_depth", ("path", "/user/engine/\"x\"")));
        Assert.Equal(9, second.Value("mailbox_depth", ("path", "/user/engine/\"x\"")));
        Assert.Equal(5, second.Value("orders_total", ("state", "filled")));
    }

    [Fact]
    public void Another_meter_with_the_same_instrument_names_does_not_leak_into_the_scrape()
    {
        using var mine = new Meter("HueyP.Node");
        using var other = new Meter("HueyP.Node");
        var ticks = mine.CreateCounter<long>("ticks");
        var otherTicks = other.CreateCounter<long>("ticks");
        using var exporter = new PrometheusExporter(mine);
        mine.CreateCounter<long>("late").Add(4);
        ticks.Add(1);
        otherTicks.Add(100);

        var scrape = PrometheusText.Parse(exporter.Scrape());

        Assert.Equal(1, scrape.Value("ticks_total"));
        Assert.Equal(4, scrape.Value("late_total"));
    }
}
