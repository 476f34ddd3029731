using System.Diagnostics.Metrics;
using System.Globalization;

namespace AlgoSignal.ServiceDefaults.Telemetry;

/// <summary>
/// AlgoSignal's own instruments, exported at <c>/metrics</c> by both processes (README, Metrics). Every
/// label takes a bounded set of values — a route, a status, a broker, a stage — never an alert id or a
/// free-text reason, so the number of series stays small whatever the traffic.
/// </summary>
public sealed class AlgoSignalMetrics
{
    public const string MeterName = "AlgoSignal";

    private readonly TimeProvider _time;
    private readonly Counter<long> _webhookRequests;
    private readonly Counter<long> _alertsFinal;
    private readonly Histogram<double> _alertStageSeconds;
    private readonly Counter<long> _orders;
    private readonly Counter<long> _brokerRequests;
    private readonly Histogram<double> _brokerRequestSeconds;
    private readonly Counter<long> _ohlcRequests;
    private readonly Histogram<double> _fillLatencySeconds;
    private int _killSwitch = -1;

    public AlgoSignalMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        _webhookRequests = meter.CreateCounter<long>("algosignal_webhook_requests_total", description: "Webhook requests answered, by route (signed, tradingview) and HTTP status.");
        _alertsFinal = meter.CreateCounter<long>("algosignal_alerts_final_total", description: "Alerts that reached a state after received, by that state.");
        _alertStageSeconds = meter.CreateHistogram<double>("algosignal_alert_stage_seconds", description: "Time an alert spent in a stage: queue_wait, decision, broker_submission, fill (received to filled).");
        _orders = meter.CreateCounter<long>("algosignal_orders_total", description: "Orders created by decisions, by broker and the status they were created with.");
        _brokerRequests = meter.CreateCounter<long>("algosignal_broker_requests_total", description: "HTTP requests to live brokers, by broker, operation and outcome.");
        _brokerRequestSeconds = meter.CreateHistogram<double>("algosignal_broker_request_seconds", description: "Duration of HTTP requests to live brokers, by broker and operation.");
        _ohlcRequests = meter.CreateCounter<long>("algosignal_ohlc_requests_total", description: "OHLC requests, by the layer that answered (memory, database, tradingview) and result.");
        _fillLatencySeconds = meter.CreateHistogram<double>("algosignal_fill_latency_seconds", description: "Time from a live broker's fill to the position updated, by broker and how the fill arrived (stream, poll).");
        meter.CreateObservableGauge(
            "algosignal_kill_switch_active",
            () => Volatile.Read(ref _killSwitch) is var state and >= 0 ? [new Measurement<int>(state)] : Array.Empty<Measurement<int>>(),
            description: "1 while the kill switch stops new orders, 0 otherwise (absent until it was first read).");
    }

    /// <summary>Buckets (seconds) for the latency histograms: 1 ms to 2 minutes.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    public long Timestamp() => _time.GetTimestamp();

    public void WebhookRequest(string route, int status) =>
        _webhookRequests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", status.ToString(CultureInfo.InvariantCulture)));

    public void AlertFinal(string status) => _alertsFinal.Add(1, new KeyValuePair<string, object?>("status", status));

    public void AlertStage(string stage, TimeSpan elapsed) =>
        _alertStageSeconds.Record(Math.Max(0, elapsed.TotalSeconds), new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Records the stage as lasting from <paramref name="startedAt"/> (a <see cref="Timestamp"/>) until now.</summary>
    public void AlertStage(string stage, long startedAt) => AlertStage(stage, _time.GetElapsedTime(startedAt));

    /// <summary>Records the stage as lasting from <paramref name="since"/> until now; answers now as a <see cref="Timestamp"/>.</summary>
    public long AlertStageSince(string stage, DateTimeOffset since)
    {
        AlertStage(stage, _time.GetUtcNow() - since);
        return Timestamp();
    }

    public void Order(string broker, string status) =>
        _orders.Add(1, new KeyValuePair<string, object?>("broker", broker), new KeyValuePair<string, object?>("status", status));

    public void BrokerRequest(string broker, string operation, string outcome, TimeSpan elapsed)
    {
        _brokerRequests.Add(1, new("broker", broker), new("operation", operation), new("outcome", outcome));
        _brokerRequestSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("broker", broker), new KeyValuePair<string, object?>("operation", operation));
    }

    /// <summary>A live fill applied to the books <paramref name="elapsed"/> after the broker says it happened; <paramref name="source"/> is <c>stream</c> or <c>poll</c>.</summary>
    public void FillLatency(string broker, string source, TimeSpan elapsed) =>
        _fillLatencySeconds.Record(Math.Max(0, elapsed.TotalSeconds), new KeyValuePair<string, object?>("broker", broker), new KeyValuePair<string, object?>("source", source));

    public void KillSwitch(bool active) => Volatile.Write(ref _killSwitch, active ? 1 : 0);

    public void OhlcRequest(string layer, string result) =>
        _ohlcRequests.Add(1, new KeyValuePair<string, object?>("layer", layer), new KeyValuePair<string, object?>("result", result));
}
