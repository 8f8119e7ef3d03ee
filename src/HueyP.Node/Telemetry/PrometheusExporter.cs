using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace HueyP.Node.Telemetry;

/// <summary>
/// Renders one meter's instruments in the Prometheus text exposition format (version 0.0.4), through a
/// <see cref="MeterListener"/>: counters and histograms accumulate as they are recorded; observable instruments are
/// collected at each scrape. No OpenTelemetry package needed.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Seconds; wide enough for a file write on a slow disk.</summary>
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<Instrument, Dictionary<string, Series>> _series = [];
    private readonly List<Instrument> _instruments = [];

    public PrometheusExporter(Meter meter)
    {
        _meter = meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, _meter)) return;
            lock (_gate) _instruments.Add(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        lock (_gate)
        {
            foreach (var instrument in _instruments.Where(IsObservable))
            {
                if (_series.TryGetValue(instrument, out var byLabels)) byLabels.Clear();
            }
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var instrument in _instruments.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                Render(text, instrument, _series.GetValueOrDefault(instrument));
            }
        }

        return text.ToString();
    }

    private static bool IsObservable(Instrument i) => i.GetType().Name.StartsWith("Observable", StringComparison.Ordinal);

    private static string KindOf(Instrument i)
    {
        var type = i.GetType().Name;
        if (type.StartsWith("Histogram", StringComparison.Ordinal)) return "histogram";
        if (type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal)) return "counter";
        return "gauge";
    }

    /// <summary>The instrument's advised bucket boundaries (InstrumentAdvice), else the default seconds.</summary>
    private static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Instrument<double> d when d.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b],
        Instrument<long> l when l.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
        Instrument<int> i when i.Advice?.HistogramBucketBoundaries is { Count: > 0 } b => [.. b.Select(v => (double)v)],
        _ => Buckets,
    };

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value)) return;
        var labels = Labels(tags);
        var kind = KindOf(instrument);
        lock (_gate)
        {
            if (!_series.TryGetValue(instrument, out var byLabels)) _series[instrument] = byLabels = new(StringComparer.Ordinal);
            if (!byLabels.TryGetValue(labels, out var series))
            {
                var bounds = kind == "histogram" ? BucketsOf(instrument) : null;
                byLabels[labels] = series = new Series(bounds, bounds is null ? null : new long[bounds.Length]);
            }

            if (kind == "histogram")
            {
                series.Count++;
                series.Sum += value;
                // Buckets are cumulative (le): the first bound at or above the value and every one after it.
                var first = Array.BinarySearch(series.Bounds!, value);
                for (var b = first >= 0 ? first : ~first; b < series.Bounds!.Length; b++) series.BucketCounts![b]++;
            }
            else if (kind == "counter" && !IsObservable(instrument))
            {
                series.Value += value;
            }
            else
            {
                // Observable counters report their running total; gauges their current value.
                series.Value = value;
            }
        }
    }

    private static void Render(StringBuilder text, Instrument instrument, Dictionary<string, Series>? series)
    {
        var kind = KindOf(instrument);
        var name = Sanitize(instrument.Name) + (kind == "counter" && !instrument.Name.EndsWith("_total", StringComparison.Ordinal) ? "_total" : "");
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
        if (series is null) return;
        foreach (var (labels, s) in series.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (kind == "histogram")
            {
                var baseName = Sanitize(instrument.Name);
                for (var b = 0; b < s.Bounds!.Length; b++)
                {
                    text.Append(baseName).Append("_bucket{").Append(Join(labels, $"le=\"{Number(s.Bounds[b])}\"")).Append("} ").Append(s.BucketCounts![b]).Append('\n');
                }

                text.Append(baseName).Append("_bucket{").Append(Join(labels, "le=\"+Inf\"")).Append("} ").Append(s.Count).Append('\n');
                text.Append(baseName).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(s.Sum)).Append('\n');
                text.Append(baseName).Append("_count").Append(Braces(labels)).Append(' ').Append(s.Count).Append('\n');
            }
            else
            {
                text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(s.Value)).Append('\n');
            }
        }
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add($"{Sanitize(key)}=\"{EscapeLabel(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Metric and label names: [a-zA-Z_:][a-zA-Z0-9_:]*.</summary>
    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':' ? c : '_').ToArray();
        if (chars.Length > 0 && char.IsAsciiDigit(chars[0])) return "_" + new string(chars);
        return new string(chars);
    }

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n");

    public void Dispose() => _listener.Dispose();

    private sealed class Series(double[]? bounds, long[]? buckets)
    {
        public double Value;
        public double Sum;
        public long Count;
        public readonly double[]? Bounds = bounds;
        public long[]? BucketCounts = buckets;
    }
}
