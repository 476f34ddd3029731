using AlgoSignal.Brokers.Paper;
using AlgoSignal.Contracts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.Worker;
using AlgoSignal.Worker.Consumers;
using AlgoSignal.Worker.Pipeline;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Consumers;

/// <summary>
/// The consumers' logic under MassTransit's test harness (in-memory bus), against a real PostgreSQL
/// database: what each consumes, stores and publishes.
/// </summary>
public sealed class ConsumerHarnessTests : IAsyncLifetime
{
    private readonly string _database = "algosignal_harness_" + Guid.NewGuid().ToString("N")[..10];
    private string _connectionString = "";
    private ServiceProvider? _provider;

    public async Task InitializeAsync()
    {
        await TestServices.RequireAsync();
        _connectionString = await TestServices.CreateDatabaseAsync(_database);
        await new MigrationRunner(_connectionString, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        await using var db = Db();
        await StrategySeeder.EnsureDemoAsync(db, TimeProvider.System, null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await TestServices.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task SubmitAlertConsumer_ValidAlert_PublishesAlertReceivedWithTheMessageIdAsAlertId()
    {
        var harness = await StartAsync();
        var messageId = NewId.NextGuid();
        await harness.Bus.Publish(new SubmitAlert { Source = "svc", Strategy = "demo", Action = "buy", Symbol = "HARN", Price = 5m, Quantity = 1m }, c => c.MessageId = messageId);

        (await harness.Consumed.Any<SubmitAlert>()).ShouldBeTrue();
        var published = harness.Published.Select<AlertReceived>().ShouldHaveSingleItem().Context.Message;
        published.AlertId.ShouldBe(messageId);
        published.Source.ShouldBe("queue");
        published.Payload.ShouldContain("\"symbol\":\"HARN\"");
        await ShouldHaveNoFaultsAsync(harness);
    }

    [Fact]
    public async Task SubmitAlertConsumer_InvalidAlert_StoresItRejectedAndPublishesNothing()
    {
        var harness = await StartAsync();
        var messageId = NewId.NextGuid();
        await harness.Bus.Publish(new SubmitAlert { Strategy = "demo", Action = "hold", Symbol = "X" }, c => c.MessageId = messageId);

        (await harness.Consumed.Any<SubmitAlert>()).ShouldBeTrue();
        (await harness.Published.Any<AlertReceived>()).ShouldBeFalse();
        await using var db = Db();
        var alert = await db.Alerts.SingleAsync(a => a.AlertId == messageId);
        alert.Status.ShouldBe("rejected");
        alert.Reason.ShouldNotBeNull().ShouldContain("action");
        await ShouldHaveNoFaultsAsync(harness);
    }

    [Fact]
    public async Task AlertReceivedConsumer_FilledAlert_PublishesSignalAcceptedOrderAcceptedAndOrderFilled()
    {
        var harness = await StartAsync();
        var alertId = NewId.NextGuid();
        await harness.Bus.Publish(new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, null, """{"strategy":"demo","action":"buy","symbol":"HARN2","price":3,"quantity":2}"""));

        (await harness.Consumed.Any<AlertReceived>(x => x.Context.Message.AlertId == alertId)).ShouldBeTrue();
        (await harness.Published.Any<SignalAccepted>(x => x.Context.Message.AlertId == alertId && x.Context.Message.Orders == 1)).ShouldBeTrue();
        (await harness.Published.Any<OrderAccepted>(x => x.Context.Message.AlertId == alertId)).ShouldBeTrue();
        (await harness.Published.Any<OrderFilled>(x => x.Context.Message.AlertId == alertId && x.Context.Message.FilledQuantity == 2m && x.Context.Message.AveragePrice == 3m)).ShouldBeTrue();
        await ShouldHaveNoFaultsAsync(harness);
    }

    [Fact]
    public async Task AlertReceivedConsumer_ExitWithoutPosition_PublishesSignalRejectedWithTheReason()
    {
        var harness = await StartAsync();
        var alertId = NewId.NextGuid();
        await harness.Bus.Publish(new AlertReceived(alertId, TimeProvider.System.GetUtcNow(), "webhook", null, null, """{"strategy":"demo","action":"close_long","symbol":"HARN3","price":3}"""));

        (await harness.Published.Any<SignalRejected>(x => x.Context.Message.AlertId == alertId && x.Context.Message.Status == "rejected")).ShouldBeTrue();
        (await harness.Published.Any<OrderAccepted>(x => x.Context.Message.AlertId == alertId)).ShouldBeFalse();
        await ShouldHaveNoFaultsAsync(harness);
    }

    /// <summary>Whatever a test asserted, no consumer threw: MassTransit published no fault and recorded no exception.</summary>
    private static async Task ShouldHaveNoFaultsAsync(ITestHarness harness)
    {
        (await harness.Published.Any<Fault<SubmitAlert>>()).ShouldBeFalse("a SubmitAlert consumer faulted");
        (await harness.Published.Any<Fault<AlertReceived>>()).ShouldBeFalse("an AlertReceived consumer faulted");
        harness.Consumed.Select<object>().Where(m => m.Exception is not null).Select(m => m.Exception!.Message).ShouldBeEmpty();
    }

    private async Task<ITestHarness> StartAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<AlgoSignalDbContext>(o => o.UseNpgsql(_connectionString));
        services.AddOptions<RabbitMqOptions>();
        services.AddOptions<TradingOptions>();
        services.AddOptions<PaperBrokerOptions>();
        services.AddAlertPipeline();
        services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<SubmitAlertConsumer>();
            x.AddConsumer<AlertReceivedConsumer>();
        });
        _provider = services.BuildServiceProvider(true);
        var harness = _provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }

    private AlgoSignalDbContext Db() => new(new DbContextOptionsBuilder<AlgoSignalDbContext>().UseNpgsql(_connectionString).Options);
}
