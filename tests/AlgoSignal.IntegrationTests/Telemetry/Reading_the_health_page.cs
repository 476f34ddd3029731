using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Brokers;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.IntegrationTests.Notifications;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// <c>GET /api/v1/health</c> names each operating component with its state and last success: PostgreSQL, RabbitMQ, the
/// alert queue's backlog, a live broker (its environment and whether it answers — and when it stops answering, the trader
/// is told), market data and a notification channel (its last delivery) — next to the fields it always had.
/// </summary>
public sealed class Reading_the_health_page : IAsyncLifetime
{
    private FakeBybit _bybit = null!;
    private FakeWebhookReceiver _receiver = null!;
    private AlgoSignalFixture _environment = null!;
    private bool _bybitStopped;

    public async Task InitializeAsync()
    {
        _bybit = await FakeBybit.StartAsync();
        _receiver = await FakeWebhookReceiver.StartAsync(null);
        var settings = _bybit.Settings();
        settings["Reconciliation:IntervalSeconds"] = "1";
        settings["Notifications:PollIntervalSeconds"] = "0.2";
        settings["Notifications:Webhooks:0:Url"] = _receiver.Url.ToString();
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _receiver.DisposeAsync();
        if (!_bybitStopped)
        {
            await _bybit.DisposeAsync();
        }
    }

    [Fact]
    public async Task Should_name_each_component_with_its_state_and_last_success()
    {
        var health = await WaitForAsync(h => Component(h, "broker:bybit") is { } b && b.GetProperty("session").GetString() == "connected", "bybit connected");
        var components = health.GetProperty("components");
        health.GetProperty("status").GetString().ShouldBe("healthy");
        components.GetProperty("cache").GetProperty("status").GetString().ShouldBe("healthy", "the fields it always had stay");
        components.EnumerateObject().Where(c => !c.Value.TryGetProperty("status", out _)).Select(c => c.Name).ShouldBeEmpty("every component has a status");
        components.TryGetProperty("realtime", out _).ShouldBeTrue();
        foreach (var name in new[] { "postgres", "rabbitmq" })
        {
            components.GetProperty(name).GetProperty("status").GetString().ShouldBe("healthy");
            components.GetProperty(name).GetProperty("last_success_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        }

        var queue = components.GetProperty("queue");
        queue.GetProperty("status").GetString().ShouldBe("healthy");
        queue.GetProperty("consumers").GetInt64().ShouldBeGreaterThanOrEqualTo(8, "the worker reads every lane");
        queue.GetProperty("messages").GetInt64().ShouldBe(0);
        queue.GetProperty("last_success_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));

        var bybit = Component(health, "broker:bybit")!.Value;
        bybit.GetProperty("status").GetString().ShouldBe("healthy");
        bybit.GetProperty("environment").GetString().ShouldBe("testnet");
        bybit.GetProperty("live").GetBoolean().ShouldBeFalse();
        bybit.GetProperty("last_success_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));

        Absent(components.GetProperty("market_data"), "last_success_at").ShouldBeTrue("nothing was fetched yet");
        var channel = Component(health, "notification:webhook:0")!.Value;
        channel.GetProperty("status").GetString().ShouldBe("unknown", "no delivery yet");
        Absent(channel, "last_success_at").ShouldBeTrue();

        (await _environment.Http.PostAsync("/api/v1/notifications/test", null)).StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        health = await WaitForAsync(h => Component(h, "notification:webhook:0")?.GetProperty("status").GetString() == "healthy", "the test delivered");
        channel = Component(health, "notification:webhook:0")!.Value;
        channel.GetProperty("last_success_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        channel.GetProperty("pending").GetInt64().ShouldBe(0);

        // The broker goes away: the page says so, and the trader hears of it once.
        await _bybit.DisposeAsync();
        _bybitStopped = true;
        health = await WaitForAsync(h => Component(h, "broker:bybit")?.GetProperty("session").GetString() == "disconnected", "bybit disconnected", TimeSpan.FromSeconds(30));
        bybit = Component(health, "broker:bybit")!.Value;
        bybit.GetProperty("status").GetString().ShouldBe("unhealthy");
        bybit.GetProperty("last_failure").GetString().ShouldBe("transport_error");
        bybit.GetProperty("last_failure_at").GetDateTimeOffset().ShouldBeGreaterThan(bybit.GetProperty("last_success_at").GetDateTimeOffset());
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!_receiver.Received.Any(b => b.GetProperty("event").GetString() == "broker.disconnected") && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var told = _receiver.Received.Where(b => b.GetProperty("event").GetString() == "broker.disconnected").ShouldHaveSingleItem();
        told.GetProperty("data").GetProperty("broker").GetString().ShouldBe("bybit");
    }

    /// <summary>The API leaves null fields out.</summary>
    private static bool Absent(JsonElement element, string name) => !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static JsonElement? Component(JsonElement health, string name) =>
        health.GetProperty("components").TryGetProperty(name, out var c) ? c : null;

    private async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (DateTimeOffset.UtcNow < deadline)
        {
            last = await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/health");
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Not reached in time: {what}; last answer: {last}");
    }
}
