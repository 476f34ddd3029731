using System.Globalization;
using System.Net;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.Bybit;

/// <summary>
/// Bybit's public V5 market data (README: market data providers): klines from <c>GET /v5/market/kline</c>
/// (newest first, at most 1,000 a request, paged back with <c>end</c>), open interest from
/// <c>GET /v5/market/open-interest</c> (at most 200 a page, paged with <c>cursor</c>), option tickers from
/// <c>GET /v5/market/tickers?category=option</c> for the put/call ratio, and the live feed from the public
/// WebSocket's <c>kline.{interval}.{symbol}</c> topic, pinged every 20 s as Bybit asks. Bybit answers errors
/// as HTTP 200 with a non-zero <c>retCode</c>; those are final, HTTP 5xx/429 and timeouts are transient.
/// Written against the documented REST and WebSocket shapes, which are small enough that Bybit's own SDKs
/// would add a dependency for four calls.
/// </summary>
/// <remarks>Here the klines and the REST call they share; the live feed is in <c>BybitMarketProvider.Stream.cs</c>, open interest and the put/call ratio in <c>BybitMarketProvider.Derivatives.cs</c>.</remarks>
public sealed partial class BybitMarketProvider(HttpClient http, IOptions<BybitMarketOptions> options, TimeProvider time) : IMarketDataProvider
{
    public const int KlinesPerRequest = 1_000;
    public const int OpenInterestPerRequest = 200;

    public string Name => ProviderNames.Bybit;

    public async Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var interval = Interval(request.Timeframe, request.FullSymbol);
        var received = new List<Bar>();
        var byTime = new SortedDictionary<DateTimeOffset, Bar>();
        long? end = null;
        while (byTime.Count < request.Bars)
        {
            var limit = Math.Min(KlinesPerRequest, request.Bars - byTime.Count);
            var query = $"/v5/market/kline?category={settings.Category}&symbol={Uri.EscapeDataString(request.Symbol)}&interval={interval}&limit={limit}"
                + (end is { } e ? $"&end={e.ToString(CultureInfo.InvariantCulture)}" : "");
            using var document = await GetAsync(query, request.FullSymbol, cancellationToken);
            var list = document.RootElement.GetProperty("result").GetProperty("list");
            if (list.GetArrayLength() == 0)
            {
                break; // the start of the instrument's history
            }

            foreach (var row in list.EnumerateArray())
            {
                var bar = new Bar(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(row[0].GetString()!, CultureInfo.InvariantCulture)),
                    Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4]), Number(row[5]));
                received.Add(bar);
                byTime[bar.Time] = bar;
            }

            var oldest = byTime.Keys.First().ToUnixTimeMilliseconds();
            if (end is { } previous && oldest > previous)
            {
                break; // a page that brought nothing older
            }

            end = oldest - 1;
        }

        var now = time.GetUtcNow();
        var bars = byTime.Values.TakeLast(request.Bars).Select(b => b with { IsForming = b.Time + request.Timeframe.Length > now }).ToList();
        var first = bars.Count > 0 ? bars[0].Time : DateTimeOffset.MaxValue;
        return new TvSeries(bars, TradingSession.AlwaysOpen, HasVolume: true, $"Bybit {settings.Category} {request.Symbol}")
        {
            // Oldest first, as the quality score reads it; repeats across pages kept.
            Received = received.Where(b => b.Time >= first).OrderBy(b => b.Time).Select(b => b with { IsForming = b.Time + request.Timeframe.Length > now }).ToList(),
        };
    }

    /// <summary>Bybit's kline interval for a timeframe: minutes as a number, then D, W, M.</summary>
    public static string Interval(Timeframe timeframe, string symbol) => timeframe.Code switch
    {
        "1" or "3" or "5" or "15" or "30" or "60" or "120" or "240" => timeframe.Code,
        "1D" => "D",
        "1W" => "W",
        "1M" => "M",
        _ => throw new TvException("series_error", $"Bybit has no {timeframe.Code} klines for {symbol}; use 1, 3, 5, 15, 30, 60, 120, 240, 1D, 1W or 1M."),
    };

    private async Task<JsonDocument> GetAsync(string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(new Uri(settings.BaseUrl), pathAndQuery), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"Bybit did not answer for {what} within {settings.TimeoutSeconds} s.", transient: true);
        }
        catch (HttpRequestException ex)
        {
            throw new TvException("disconnected", $"Bybit could not be reached for {what}: {ex.Message}", transient: true, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var transient = response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                throw new TvException("http_error", $"Bybit answered HTTP {(int)response.StatusCode} for {what}.", transient);
            }

            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new TvException("protocol_error", $"Bybit's answer for {what} is not JSON: {ex.Message}");
            }

            var root = document.RootElement;
            var code = root.TryGetProperty("retCode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : -1;
            if (code != 0 || !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
            {
                var message = root.TryGetProperty("retMsg", out var m) ? m.GetString() : null;
                document.Dispose();
                // 10001 is Bybit's "params error", which is what an unknown symbol gets.
                throw new TvException(code == 10001 ? "symbol_error" : "provider_error", $"Bybit refused {what}: {message ?? "no retMsg"} (retCode {code}).");
            }

            return document;
        }
    }

    private static double Number(JsonElement element) =>
        element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : element.ValueKind == JsonValueKind.Number ? element.GetDouble()
        : double.NaN;
}
