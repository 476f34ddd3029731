using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers.InteractiveBrokers.Wire;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Strategies;
using Microsoft.Extensions.Options;
using Polly;

namespace AlgoSignal.Brokers.InteractiveBrokers;

/// <summary>
/// Interactive Brokers through the Client Portal Web API: the gateway's session (status, <c>ssodh/init</c>
/// when needed, <c>tickle</c> to keep it), contract ids looked up once and cached, orders with their
/// <c>cOID</c> and bracket children by <c>parentId</c>, the "are you sure" reply loop (bounded), and a
/// reused <c>cOID</c> treated as already placed.
/// </summary>
/// <remarks>
/// Placing and cancelling live in <c>InteractiveBrokersAdapter.Orders.cs</c>, the order and position queries
/// with the status mapping in <c>InteractiveBrokersAdapter.Reading.cs</c>.
/// </remarks>
public sealed partial class InteractiveBrokersAdapter : IBrokerAdapter
{
    private const int MaxReplies = 5;

    private readonly HttpClient _http;
    private readonly InteractiveBrokersOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private readonly BrokerTransport _transport;
    private readonly ConcurrentDictionary<string, long> _conids = new();

    public InteractiveBrokersAdapter(HttpClient http, IOptions<InteractiveBrokersOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");
        _transport = new BrokerTransport(
            _http,
            "The IBKR gateway",
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RequestsPerSecond,
                TokensPerPeriod = _options.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 1_000,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));
        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => BrokerNames.InteractiveBrokers;

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { AlertOrderTypes.Market, AlertOrderTypes.Limit, AlertOrderTypes.Stop, AlertOrderTypes.StopLimit }, new HashSet<string> { AlertTimeInForce.Day, AlertTimeInForce.Gtc, AlertTimeInForce.Ioc }, Brackets: true, Short: true)
    {
        // The gateway allows 10 requests/s in all; polling takes at most one a second.
        PollsPerMinute = 60,
    };

    /// <summary>Handler for the gateway's self-signed certificate, accepted only when configured.</summary>
    public static HttpMessageHandler CreateHandler(InteractiveBrokersOptions options) => new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = options.AllowSelfSignedCertificate
            ? (_, _, _, errors) => true
            : null,
    };

    public string BrokerSymbol(string symbol) => Ticker(symbol);

    private async Task<long?> ConidAsync(string symbol, CancellationToken cancellationToken)
    {
        var ticker = Ticker(symbol);
        if (_conids.TryGetValue(ticker, out var cached))
        {
            return cached;
        }

        var answer = await SendAsync(HttpMethod.Get, $"iserver/secdef/search?symbol={Uri.EscapeDataString(ticker)}&secType=STK", null, IbkrWireContext.Default.IbkrRowsIbkrContract, cancellationToken);
        if (answer?.Rows is not [var contract, ..])
        {
            return null;
        }

        // conid comes as a string in search answers and as a number in orders.
        if (!long.TryParse(contract.Conid, NumberStyles.Integer, CultureInfo.InvariantCulture, out var conid))
        {
            throw new BrokerException($"IBKR answered the contract search for {ticker} without a contract id.");
        }

        _conids[ticker] = conid;
        return conid;
    }

    /// <summary>One request through the shared transport, read into <paramref name="wire"/> (null when the answer had no body); <see cref="InteractiveBrokersSessionHandler"/> on the HttpClient keeps the gateway's session.</summary>
    private Task<T?> SendAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async ct => await RawAsync(method, path, body, wire, ct), cancellationToken).AsTask();

    private async Task<T?> RawAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
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

        // Only a request that places or changes an order can have landed unseen; anything else is retried.
        var answer = await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get && ChangesOrders(path), wire, cancellationToken);
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            // Still refused after the session handler renewed the session and repeated the request.
            throw new SessionExpiredException();
        }

        return answer.Body;
    }

    private string Account(BrokerOrder order) => _options.AccountId ?? order.Account;

    private static bool ChangesOrders(string path) => path.Contains("/orders", StringComparison.Ordinal) || path.Contains("/order/", StringComparison.Ordinal) || path.StartsWith("iserver/reply", StringComparison.Ordinal);

    private static string Ticker(string symbol) =>
        (symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol).ToUpperInvariant();

    private sealed class SessionExpiredException() : Exception("The IBKR gateway session expired.");
}
