using System.Net;
using System.Text.Json.Serialization.Metadata;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Strategies;
using Microsoft.Extensions.Options;
using Polly;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary>
/// TradeStation v3: OAuth access tokens refreshed before they expire (a rotated refresh token is stored),
/// one refresh-and-retry on 401, orders with <c>OrderConfirmID</c> (≤ 22 characters, which TradeStation
/// uses to refuse a duplicate), <c>TradeAction</c> by the order's intent (SELLSHORT opens a short,
/// BUYTOCOVER closes it) and take-profit/stop-loss as an OSO of type BRK.
/// </summary>
/// <remarks>
/// Placing and cancelling live in <c>TradeStationAdapter.Orders.cs</c>, the order, position and open-order queries
/// with the status mapping in <c>TradeStationAdapter.Reading.cs</c>, the order stream in <c>TradeStationAdapter.Stream.cs</c>.
/// </remarks>
public sealed partial class TradeStationAdapter : IBrokerAdapter, IBrokerOrderStream
{
    private const string BrokerName = BrokerNames.TradeStation;

    private readonly HttpClient _http;
    private readonly TradeStationOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    private readonly BrokerTransport _transport;

    /// <summary>An adapter on <paramref name="http"/>, which carries <see cref="TradeStationAuthHandler"/> (the registration puts it there).</summary>
    public TradeStationAdapter(HttpClient http, IOptions<TradeStationOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");

        // Each call sets its own time-out; the order stream stays open for hours.
        _http.Timeout = Timeout.InfiniteTimeSpan;

        // TradeStation allows 250 requests per 5 minutes per category.
        _transport = new BrokerTransport(
            _http,
            "TradeStation",
            new System.Threading.RateLimiting.TokenBucketRateLimiter(new System.Threading.RateLimiting.TokenBucketRateLimiterOptions
            {
                TokenLimit = 250,
                TokensPerPeriod = 5,
                ReplenishmentPeriod = TimeSpan.FromSeconds(6),
                QueueLimit = 1_000,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));
        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => BrokerName;

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { AlertOrderTypes.Market, AlertOrderTypes.Limit, AlertOrderTypes.Stop, AlertOrderTypes.StopLimit }, new HashSet<string> { AlertTimeInForce.Day, AlertTimeInForce.Gtc, AlertTimeInForce.Ioc, AlertTimeInForce.Fok }, Brackets: true, Short: true)
    {
        // TradeStation allows 250 requests per 5 minutes (50 a minute) per category, shared with new orders: polling takes at most 20 of them.
        PollsPerMinute = 20,
    };

    /// <summary>TradeStation's confirm id is 1–22 characters: the client order id's first 22 (80 random bits).</summary>
    public static string ConfirmId(string clientOrderId) => clientOrderId.Length <= 22 ? clientOrderId : clientOrderId[..22];

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    /// <summary>One call through the shared transport, read into <paramref name="wire"/> (null when the answer had no body).</summary>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
        where T : class =>
        await _pipeline.ExecuteAsync(
            async ct =>
            {
                HttpRequestMessage Build()
                {
                    var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                    {
                        request.Content = BrokerContent.Json(body);
                    }

                    return request;
                }

                // TradeStationAuthHandler has already refreshed the token and repeated the request once.
                var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, wire, ct);
                return answer.Status == HttpStatusCode.Unauthorized
                    ? throw new BrokerException("TradeStation refused the refreshed access token (401); check Brokers:TradeStation:ClientId/ClientSecret/RefreshToken.")
                    : answer.Body;
            },
            cancellationToken);

    private string Account(BrokerOrder order) => _options.AccountId ?? order.Account;

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();
}
