using System.Net;
using AlgoSignal.ServiceDefaults.Telemetry;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// Every HTTP request a live broker adapter makes is counted and timed by a handler on its named
/// HttpClient, labelled with the broker, a fixed set of operations and the outcome.
/// </summary>
public sealed class Counting_broker_requests
{
    [Fact]
    public async Task Should_count_and_time_requests_on_a_broker_client_only()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAlgoSignalMetrics();
        services.AddSingleton<IHttpMessageHandlerBuilderFilter, BrokerRequestMetrics>();
        services.AddHttpClient("BybitAdapter").ConfigurePrimaryHttpMessageHandler(() => new Answering(HttpStatusCode.TooManyRequests));
        services.AddHttpClient("SomethingElse").ConfigurePrimaryHttpMessageHandler(() => new Answering(HttpStatusCode.OK));
        await using var provider = services.BuildServiceProvider();
        var export = provider.GetRequiredService<MetricsExport>();
        var clients = provider.GetRequiredService<IHttpClientFactory>();

        using (var bybit = clients.CreateClient("BybitAdapter"))
        {
            using var created = await bybit.PostAsync("https://api.example.test/v5/order/create", new StringContent("{}"));
            using var polled = await bybit.GetAsync("https://api.example.test/v5/order/realtime?orderLinkId=as123");
        }

        using (var other = clients.CreateClient("SomethingElse"))
        {
            using var ignored = await other.GetAsync("https://other.example.test/v5/order/realtime");
        }

        var scrape = Scrape(export);
        scrape.Value("algosignal_broker_requests_total", ("broker", "bybit"), ("operation", "place"), ("outcome", "rate_limited")).ShouldBe(1, scrape.Text);
        scrape.Value("algosignal_broker_requests_total", ("broker", "bybit"), ("operation", "order_status"), ("outcome", "rate_limited")).ShouldBe(1);
        scrape.Value("algosignal_broker_requests_total").ShouldBe(2);
        scrape.Value("algosignal_broker_request_seconds_count", ("broker", "bybit"), ("operation", "place")).ShouldBe(1);
        scrape.Text.ShouldNotContain("as123");
    }

    [Theory]
    [InlineData("POST", "/v5/order/create", "place")]
    [InlineData("POST", "/v5/order/cancel", "cancel")]
    [InlineData("GET", "/v5/order/realtime", "order_status")]
    [InlineData("GET", "/v5/position/list", "positions")]
    [InlineData("POST", "/v1/api/iserver/account/U1/orders", "place")]
    [InlineData("POST", "/v1/api/iserver/reply/abc", "place")]
    [InlineData("DELETE", "/v1/api/iserver/account/U1/order/42", "cancel")]
    [InlineData("POST", "/oauth/token", "auth")]
    [InlineData("GET", "/v3/brokerage/accounts/A1/orders", "order_status")]
    [InlineData("GET", "/v3/brokerage/accounts/A1/balances", "other")]
    [InlineData("GET", "/v3/brokerage/stream/accounts/A1/orders", "stream")]
    public void Should_name_the_operation_from_a_fixed_set(string method, string path, string operation) =>
        BrokerRequestHandler.OperationOf(new HttpRequestMessage(new HttpMethod(method), "https://broker.example.test" + path)).ShouldBe(operation);

    private static MetricsText Scrape(MetricsExport export) => new(export.Render());

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status));
    }
}
