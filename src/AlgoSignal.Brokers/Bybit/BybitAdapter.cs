using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using System.Threading.RateLimiting;
using AlgoSignal.Brokers.Bybit.Wire;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Strategies;
using Microsoft.Extensions.Options;
using Polly;

namespace AlgoSignal.Brokers.Bybit;

/// <summary>
/// Bybit V5 (<c>/v5/order/create</c>, <c>/v5/order/realtime</c>, <c>/v5/order/cancel</c>): exact-bytes
/// signing with the server's clock, rounding from instruments-info (cached), minimums checked before
/// sending, duplicate <c>orderLinkId</c> (110072 / 170141) treated as "already placed", and Polly for
/// timeouts, retries of faults that never reached the order book, and a circuit breaker.
/// </summary>
/// <remarks>
/// Placing and cancelling live in <c>BybitAdapter.Orders.cs</c>, the order and position queries with the
/// status mapping in <c>BybitAdapter.Reading.cs</c>.
/// </remarks>
public sealed partial class BybitAdapter : IBrokerAdapter
{
    private static readonly HashSet<int> DuplicateCodes = [110072, 170141];
    private static readonly HashSet<int> TransientCodes = [10006, 10016, 10429];

    private readonly HttpClient _http;
    private readonly BybitOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private readonly BrokerTransport _transport;
    private readonly ConcurrentDictionary<string, BybitInstrument> _instruments = new();

    public BybitAdapter(HttpClient http, IOptions<BybitOptions> options, TimeProvider time)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _http.BaseAddress ??= new Uri(_options.BaseUrl.TrimEnd('/') + "/");
        _transport = new BrokerTransport(
            _http,
            "Bybit",
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = _options.RequestsPerSecond,
                TokensPerPeriod = _options.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 1_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }),
            TimeSpan.FromSeconds(_options.TimeoutSeconds));

        _pipeline = BrokerResilience.Create(time);
    }

    public string Name => BrokerNames.Bybit;

    public bool IsLive => _options.IsLive;

    public BrokerEnvironment Environment => _options.ResolvedEnvironment;

    public string EnvironmentReason => _options.DescribeEnvironment();

    public BrokerCapabilities Capabilities { get; } = new(
        new HashSet<string> { AlertOrderTypes.Market, AlertOrderTypes.Limit, AlertOrderTypes.Stop, AlertOrderTypes.StopLimit }, new HashSet<string> { AlertTimeInForce.Gtc, AlertTimeInForce.Ioc, AlertTimeInForce.Fok }, Brackets: true, Short: true)
    {
        // Bybit allows 10 requests/s per account on derivatives; polling takes at most a fifth.
        PollsPerMinute = 120,
    };

    public static string MapSymbol(string symbol)
    {
        var ticker = symbol.Contains(':', StringComparison.Ordinal) ? symbol[(symbol.IndexOf(':', StringComparison.Ordinal) + 1)..] : symbol;

        // TradingView names perpetuals BTCUSDT.P; Bybit names them BTCUSDT.
        return (ticker.EndsWith(".P", StringComparison.OrdinalIgnoreCase) ? ticker[..^2] : ticker).ToUpperInvariant();
    }

    public string BrokerSymbol(string symbol) => MapSymbol(symbol);

    private async Task<BybitInstrument> InstrumentAsync(string symbol, CancellationToken cancellationToken)
    {
        if (_instruments.TryGetValue(symbol, out var cached))
        {
            return cached;
        }

        var query = $"category={_options.Category}&symbol={symbol}";
        var answer = await _pipeline.ExecuteAsync(
            async ct => await SendAsync(HttpMethod.Get, "v5/market/instruments-info?" + query, null, BybitWireContext.Default.BybitEnvelopeBybitListBybitInstrumentRow, ct, signed: false),
            cancellationToken);
        if (answer.RetCode != 0 || answer.Result?.List is not [var info, ..])
        {
            throw new BybitRejection("unknown_symbol", $"Bybit has no {_options.Category} instrument {symbol}.");
        }

        var lot = info.LotSizeFilter;
        var instrument = new BybitInstrument(
            symbol,
            info.PriceFilter?.TickSize ?? 0.01m,
            lot?.QtyStep ?? lot?.BasePrecision ?? 0.001m,
            lot?.MinOrderQty ?? 0m,
            lot?.MinNotionalValue ?? lot?.MinOrderAmt ?? 0m);
        _instruments[symbol] = instrument;
        return instrument;
    }

    /// <summary>One request through the shared transport; <see cref="BybitAuthHandler"/> on the HttpClient signs it unless it is public.</summary>
    private async Task<BybitEnvelope<T>> SendAsync<T>(HttpMethod method, string path, byte[]? json, JsonTypeInfo<BybitEnvelope<T>> wire, CancellationToken cancellationToken, bool signed = true)
        where T : class
    {
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(method, path);
            if (json is not null)
            {
                request.Content = BrokerContent.Json(json);
            }

            request.Options.Set(BybitAuthHandler.Public, !signed);
            return request;
        }

        // Only a request that places or changes an order can have landed unseen; a query is retried.
        var answer = (await _transport.SendAsync(Build, changesOrders: method != HttpMethod.Get, wire, cancellationToken)).Body;
        if (answer is null)
        {
            var shapeless = $"Bybit answered {path.Split('?')[0]} without its JSON envelope";
            throw method == HttpMethod.Get ? new BrokerException(shapeless + ".") : new BrokerUnknownOutcomeException(shapeless + "; the order may have landed.");
        }

        var code = answer.RetCode ?? -1;
        if (TransientCodes.Contains(code) || code == 10002)
        {
            // Rate limits, and a timestamp refused even after resynchronising: nothing landed, the retry resends.
            throw new BrokerException($"Bybit refused {path.Split('?')[0]} for now ({code}).");
        }

        return answer;
    }

    private sealed class BybitRejection(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
