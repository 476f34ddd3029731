using System.Net;
using System.Net.Sockets;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>The worker's metrics address is taken: it says so and goes on trading without the endpoint.</summary>
public sealed class Starting_the_worker_endpoint : IAsyncLifetime
{
    private readonly AlgoSignalFixture _environment = new(workers: 0, null);

    public Task InitializeAsync() => _environment.InitializeAsync();

    public Task DisposeAsync() => _environment.DisposeAsync();

    [Fact]
    public async Task Should_keep_consuming_when_its_address_is_in_use()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var settings = _environment.Settings();
        settings["Worker:Urls"] = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        using var worker = WorkerHost.CreateBuilder([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]).Build();
        await worker.StartAsync();
        try
        {
            worker.Services.GetRequiredService<WorkerEndpoint>().Addresses.ShouldBeEmpty();
            var (strategy, _) = await _environment.CreateStrategyAsync("busyport");
            var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BUSY","price":5,"quantity":1}""");
            status.ShouldBe(202);
            (await _environment.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");
        }
        finally
        {
            await worker.StopAsync();
        }
    }
}
