using AlgoSignal.Ingress;
using AlgoSignal.Worker;
using Microsoft.Extensions.Options;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Deployment;

public sealed class Starting_with_bad_configuration
{
    [Fact]
    public void Should_fail_fast_naming_the_missing_connection_string_in_the_worker()
    {
        var error = Should.Throw<OptionsValidationException>(() => WorkerHost.CreateBuilder(["--ConnectionStrings:Postgres="]));
        error.Message.ShouldContain("ConnectionStrings:Postgres");
    }

    [Fact]
    public void Should_fail_fast_naming_the_missing_connection_string_in_the_ingress()
    {
        var error = Should.Throw<OptionsValidationException>(() => IngressApp.CreateBuilder(["--ConnectionStrings:Postgres="]));
        error.Message.ShouldContain("ConnectionStrings:Postgres");
    }

    [Fact]
    public async Task Should_fail_at_start_naming_an_invalid_setting()
    {
        var app = IngressApp.Build(IngressApp.CreateBuilder(["--ConnectionStrings:Postgres=Host=127.0.0.1", "--Webhook:MaxBodyBytes=1", "--urls=http://127.0.0.1:0"]));
        var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());
        error.Message.ShouldContain("Webhook:MaxBodyBytes");
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("--MarketData:Provider=yahoo", "MarketData:Provider")]
    [InlineData("--MarketData:ProviderByExchange:NYSE=yahoo", "MarketData:ProviderByExchange")]
    [InlineData("--MarketData:Cache:WarmUp:0:Symbol=BTCUSDT", "MarketData:Cache:WarmUp")]
    [InlineData("--MarketData:Cache:FreshnessSeconds:7h=10", "MarketData:Cache:FreshnessSeconds")]
    [InlineData("--MarketData:Bybit:Category=futures", "MarketData:Bybit:Category")]
    [InlineData("--MarketData:Mock:TickMilliseconds=1", "MarketData:Mock:TickMilliseconds")]
    public async Task Should_fail_at_start_naming_an_invalid_market_data_setting(string setting, string key)
    {
        var app = IngressApp.Build(IngressApp.CreateBuilder(["--ConnectionStrings:Postgres=Host=127.0.0.1", setting, "--urls=http://127.0.0.1:0"]));
        var error = await Should.ThrowAsync<OptionsValidationException>(() => app.StartAsync());
        error.Message.ShouldContain(key);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("--Notifications:Webhooks:0:Url=hooks.example.com/x", "Notifications:Webhooks:0:Url")]
    [InlineData("--Notifications:Telegram:Events:0=order.filed", "Notifications:Telegram:Events names \"order.filed\"")]
    [InlineData("--Notifications:MaxPerMinute=1", "Notifications:MaxPerMinute")]
    public async Task Should_fail_at_start_naming_a_bad_notification_setting(string setting, string named)
    {
        using var worker = WorkerHost.CreateBuilder(["--ConnectionStrings:Postgres=Host=127.0.0.1", "--Worker:Urls=", setting]).Build();
        var error = await Should.ThrowAsync<OptionsValidationException>(() => worker.StartAsync());
        error.Message.ShouldContain(named);
    }
}
