using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>Without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> neither process has a tracer: nothing is collected, nothing is sent.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Tracing_only_when_asked(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_have_no_tracer_without_an_otlp_endpoint()
    {
        fixture.Settings().ShouldNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT");
        fixture.Workers[0].Services.GetService<TracerProvider>().ShouldBeNull();
        await using var ingress = await fixture.StartIngressAsync();
        ingress.App.Services.GetService<TracerProvider>().ShouldBeNull();
        await using var traced = await fixture.StartIngressAsync(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        traced.App.Services.GetService<TracerProvider>().ShouldNotBeNull("the same host with the setting traces");
    }
}
