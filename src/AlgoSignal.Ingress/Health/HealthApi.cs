using AlgoSignal.ServiceDefaults;

namespace AlgoSignal.Ingress.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (RabbitMQ and PostgreSQL reachable).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app) => app.MapLiveAndReady();
}
