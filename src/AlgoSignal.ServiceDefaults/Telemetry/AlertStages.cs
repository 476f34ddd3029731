namespace AlgoSignal.ServiceDefaults.Telemetry;

/// <summary>The values of the <c>stage</c> label of <c>algosignal_alert_stage_seconds</c>.</summary>
public static class AlertStages
{
    /// <summary>From the ingress's receipt to the worker taking the message off its lane.</summary>
    public const string QueueWait = "queue_wait";

    /// <summary>The worker's transaction: store, dedupe, risk, size, order (and a paper fill).</summary>
    public const string Decision = "decision";

    /// <summary>Sending the alert's live orders to their brokers after commit.</summary>
    public const string BrokerSubmission = "broker_submission";

    /// <summary>From the ingress's receipt to the alert recorded as filled.</summary>
    public const string Fill = "fill";
}
