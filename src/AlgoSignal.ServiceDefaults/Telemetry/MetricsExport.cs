using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AlgoSignal.ServiceDefaults.Telemetry;

/// <summary>
/// One host's view of its meters in Prometheus's text format (version 0.0.4). It listens to the
/// <see cref="Meter"/>s of this host's own <see cref="IMeterFactory"/> (AlgoSignal, ASP.NET Core,
/// HttpClient) and to the process-wide runtime, Npgsql and MassTransit meters; a listener per host keeps
/// two hosts in one process (the tests) apart. Counters are exported as counters (<c>_total</c>),
/// histograms with cumulative buckets, gauges as gauges; dots in names become underscores and a unit
/// of seconds or bytes ends the name in <c>_seconds</c> or <c>_bytes</c>, as Prometheus's naming rules ask.
/// Written here rather than taken from a library because neither served exporter fits: prometheus-net 8.2.1's
/// meter adapter exported counters as gauges under meter-prefixed names (and none of ours in a host built twice
/// in one process), and OpenTelemetry's Prometheus exporter is still a beta.
/// </summary>
public sealed class MetricsExport : IDisposable
{
    private static readonly HashSet<string> ProcessWideMeters = ["System.Runtime", "System.Net.Http", "System.Net.NameResolution", "Npgsql", "MassTransit"];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public MetricsExport(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) || (instrument.Meter.Scope is null && ProcessWideMeters.Contains(instrument.Meter.Name)))
            {
                _instruments.TryAdd(instrument, new InstrumentSeries(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<byte>((i, m, t, _) => Record(i, (double)m, t));
        _listener.SetMeasurementEventCallback<short>((i, m, t, _) => Record(i, (double)m, t));
        _listener.SetMeasurementEventCallback<int>((i, m, t, _) => Record(i, (double)m, t));
        _listener.SetMeasurementEventCallback<long>((i, m, t, _) => Record(i, (double)m, t));
        _listener.SetMeasurementEventCallback<float>((i, m, t, _) => Record(i, (double)m, t));
        _listener.SetMeasurementEventCallback<double>((i, m, t, _) => Record(i, m, t));
        _listener.SetMeasurementEventCallback<decimal>((i, m, t, _) => Record(i, (double)m, t));
        _listener.Start();
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Every series now, observable instruments read at this moment.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _instruments.Values.Where(s => !s.IsEmpty).GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(Escape(first.Instrument.Description ?? first.Instrument.Name, help: true)).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(first.Type).Append('\n');
            foreach (var series in group)
            {
                series.Write(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    // One double path for every measurement type: no boxing per measurement.
    private void Record(Instrument instrument, double measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(measurement, tags);
        }
    }

    internal static string Escape(string value, bool help = false)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return help ? escaped : escaped.Replace("\"", "\\\"", StringComparison.Ordinal);
    }

    internal static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    /// <summary>The series of one instrument, one per distinct label set.</summary>
    private sealed class InstrumentSeries(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Point> _points = new(StringComparer.Ordinal);

        public Instrument Instrument { get; } = instrument;

        public string Type { get; } = instrument switch
        {
            _ when IsHistogram(instrument) => "histogram",
            _ when IsCounter(instrument) => "counter",
            _ => "gauge",
        };

        public string Name { get; } = NameOf(instrument);

        // Observable instruments report running totals; the others report increments.
        private readonly bool _observable = instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal);

        public bool IsEmpty => _points.IsEmpty;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var point = _points.GetOrAdd(labels, _ => new Point(Type == "histogram" ? Buckets(Instrument) : null));
            point.Record(value, _observable);
        }

        public void Write(StringBuilder text)
        {
            foreach (var (labels, point) in _points.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                point.Write(text, Name, labels);
            }
        }

        private static bool IsHistogram(Instrument instrument) => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

        private static bool IsCounter(Instrument instrument) =>
            instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);

        private static string NameOf(Instrument instrument)
        {
            var name = Sanitize(instrument.Name);
            var unit = instrument.Unit switch { "s" => "_seconds", "By" => "_bytes", _ => "" };
            if (unit.Length > 0 && !name.EndsWith(unit, StringComparison.Ordinal))
            {
                name += unit;
            }

            return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
        }

        private static double[] Buckets(Instrument instrument) => instrument.Unit == "ms"
            ? [.. AlgoSignalMetrics.SecondsBuckets.Select(b => b * 1000)]
            : [.. AlgoSignalMetrics.SecondsBuckets];

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return "";
            }

            var pairs = new List<string>(tags.Length);
            foreach (var tag in tags)
            {
                pairs.Add($"{Sanitize(tag.Key)}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }
    }

    /// <summary>One series: a running sum (counters), the last value (gauges) or buckets, sum and count (histograms).</summary>
    private sealed class Point(double[]? bounds)
    {
        private readonly Lock _lock = new();
        private readonly long[] _buckets = new long[bounds?.Length ?? 0];
        private double _value;
        private long _count;

        public void Record(double value, bool cumulative)
        {
            lock (_lock)
            {
                if (bounds is not null)
                {
                    var index = Array.FindIndex(bounds, b => value <= b);
                    if (index >= 0)
                    {
                        _buckets[index]++;
                    }

                    _value += value;
                    _count++;
                }
                else
                {
                    _value = cumulative ? value : _value + value;
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            lock (_lock)
            {
                if (bounds is null)
                {
                    Line(text, name, labels, _value);
                    return;
                }

                long running = 0;
                for (var i = 0; i < bounds.Length; i++)
                {
                    running += _buckets[i];
                    Line(text, name + "_bucket", Join(labels, $"le=\"{bounds[i].ToString(CultureInfo.InvariantCulture)}\""), running);
                }

                Line(text, name + "_bucket", Join(labels, "le=\"+Inf\""), _count);
                Line(text, name + "_sum", labels, _value);
                Line(text, name + "_count", labels, _count);
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static void Line(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
