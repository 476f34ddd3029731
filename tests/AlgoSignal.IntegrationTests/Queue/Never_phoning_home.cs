using AlgoSignal.Ingress;
using AlgoSignal.Worker;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Queue;

/// <summary>MassTransit reports usage to its vendor unless told not to; neither process may.</summary>
public sealed class Never_phoning_home
{
    private static readonly string Postgres = $"--ConnectionStrings:Postgres={Infrastructure.TestServices.PostgresConnectionString}";

    [Fact]
    public void Should_turn_off_masstransits_usage_telemetry_in_the_worker()
    {
        using var worker = WorkerHost.CreateBuilder([Postgres]).Build();
        worker.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_turn_off_masstransits_usage_telemetry_in_the_ingress()
    {
        await using var ingress = IngressApp.Build(IngressApp.CreateBuilder([Postgres, "--urls=http://127.0.0.1:0"]));
        ingress.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled.ShouldBeFalse();
    }
}
