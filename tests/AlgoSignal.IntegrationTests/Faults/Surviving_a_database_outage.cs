using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Faults;

/// <summary>
/// PostgreSQL vanishes from the worker mid-burst (a TCP proxy in between is cut, then restored): the
/// ingress keeps answering 202, and afterwards every accepted alert is filled exactly once.
/// </summary>
public sealed class Surviving_a_database_outage : IAsyncLifetime
{
    private readonly AlgoSignalFixture _environment = new(workers: 0, new Dictionary<string, string>
    {
        ["Webhook:RateLimit:PerSourcePerMinute"] = "0",
        ["Webhook:RateLimit:PerStrategyPerMinute"] = "0",
    });

    private TcpProxy? _proxy;
    private IHost? _worker;

    public async Task InitializeAsync()
    {
        await _environment.InitializeAsync();
        var direct = new NpgsqlConnectionStringBuilder(_environment.ConnectionString);
        _proxy = new TcpProxy(direct.Host!, direct.Port);
        var settings = _environment.Settings();
        settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(_environment.ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 3 }.ConnectionString;
        _worker = WorkerHost.CreateBuilder([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]).Build();
        await _worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await _environment.DisposeAsync();
    }

    [Fact]
    public async Task Should_fill_every_accepted_alert_exactly_once_after_postgres_returns()
    {
        var (strategy, _) = await _environment.CreateStrategyAsync("pgdown", d => d with { MaxOrdersPerMinute = 0, MaxPositions = 1000, MaxSignalAgeSeconds = 0 });
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            if (i == 15)
            {
                _proxy!.Cut();
            }

            if (i == 30)
            {
                await Task.Delay(2000);
                _proxy!.Restore();
            }

            var (status, body) = await _environment.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"PG{{i}}","price":10,"quantity":1}""");
            status.ShouldBe(202, "accepting needs RabbitMQ, not PostgreSQL");
            ids.Add(body.GetProperty("alert_id").GetGuid());
            await Task.Delay(50);
        }

        foreach (var id in ids)
        {
            (await _environment.WaitForFinalAsync(id, TimeSpan.FromSeconds(90))).GetProperty("status").GetString().ShouldBe("filled");
        }

        await using var db = _environment.CreateDbContext();
        (await db.Orders.CountAsync(o => o.Strategy == strategy)).ShouldBe(40, "one order per alert, none twice");
        (await db.Positions.Where(p => p.Account == "acct-" + strategy).SumAsync(p => p.Quantity)).ShouldBe(40m);
    }
}
