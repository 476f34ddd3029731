namespace AlgoSignal.Worker.Telemetry;

/// <summary><c>Worker:Urls</c>: where the worker serves <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>.</summary>
public sealed class WorkerEndpointOptions
{
    public const string Section = "Worker";

    public const string DefaultUrls = "http://127.0.0.1:8081";

    /// <summary>One address or several separated by <c>;</c>; port 0 picks a free one; empty turns the endpoint off.</summary>
    public string Urls { get; set; } = DefaultUrls;
}
