using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;
using AlgoSignal.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Consumers;

/// <summary>Whatever text reaches the worker's database context (a broker's words, an exception's), PostgreSQL can store it.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Storing_text_postgresql_refuses(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_replace_nul_and_lone_surrogates_in_text_and_jsonb_columns()
    {
        using var host = WorkerHost.CreateBuilder(fixture.Settings().Select(kv => $"--{kv.Key}={kv.Value}").ToArray()).Build();
        var alertId = Guid.NewGuid();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlgoSignalDbContext>();
            db.Alerts.Add(new AlertEntity
            {
                AlertId = alertId,
                Source = "queue",
                Status = "failed",
                Reason = "broker said a\0b\uD800c",
                ReceivedAt = TimeProvider.System.GetUtcNow(),
                UpdatedAt = TimeProvider.System.GetUtcNow(),
                Payload = """{"message":"x\u0000y\ud800z","pair":"\ud83d\ude00"}""",
            });
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        var stored = await read.Alerts.AsNoTracking().SingleAsync(a => a.AlertId == alertId);
        stored.Reason.ShouldBe("broker said a\uFFFDb\uFFFDc");
        using var payload = System.Text.Json.JsonDocument.Parse(stored.Payload);
        payload.RootElement.GetProperty("message").GetString().ShouldBe("x\uFFFDy\uFFFDz");
        payload.RootElement.GetProperty("pair").GetString().ShouldBe("\U0001F600");
    }
}
