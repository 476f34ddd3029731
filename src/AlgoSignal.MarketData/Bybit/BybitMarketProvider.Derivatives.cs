using System.Globalization;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Providers;
using AlgoSignal.MarketData.TradingView;

namespace AlgoSignal.MarketData.Bybit;

// Derivatives data: open interest of a contract, paged by cursor, and the put/call ratio of a coin's option tickers.
public sealed partial class BybitMarketProvider
{
    public async Task<IReadOnlyList<OpenInterestPoint>> OpenInterestAsync(string exchange, string symbol, Timeframe interval, int limit, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Category is not ("linear" or "inverse"))
        {
            throw new TvException(ProviderErrors.NotSupported, $"Bybit publishes open interest for linear and inverse contracts, not for {settings.Category} (MarketData:Bybit:Category).");
        }

        var intervalTime = interval.Code switch
        {
            "5" => "5min",
            "15" => "15min",
            "30" => "30min",
            "60" => "1h",
            "240" => "4h",
            "1D" => "1d",
            _ => throw new TvException(ProviderErrors.NotSupported, $"Bybit keeps open interest per 5m, 15m, 30m, 1h, 4h or 1d, not per {interval.Code}."),
        };
        var points = new Dictionary<DateTimeOffset, OpenInterestPoint>();
        string? cursor = null;
        do
        {
            var query = $"/v5/market/open-interest?category={settings.Category}&symbol={Uri.EscapeDataString(symbol)}&intervalTime={intervalTime}&limit={Math.Min(OpenInterestPerRequest, limit - points.Count)}"
                + (cursor is { Length: > 0 } ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            using var document = await GetAsync(query, $"{exchange}:{symbol}", cancellationToken);
            var result = document.RootElement.GetProperty("result");
            var list = result.GetProperty("list");
            foreach (var row in list.EnumerateArray())
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(row.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture));
                points[at] = new OpenInterestPoint(at, Number(row.GetProperty("openInterest")));
            }

            cursor = list.GetArrayLength() > 0 && result.TryGetProperty("nextPageCursor", out var next) ? next.GetString() : null;
        }
        while (points.Count < limit && cursor is { Length: > 0 });

        return points.Values.OrderBy(p => p.Time).TakeLast(limit).ToList();
    }

    public async Task<PutCallRatio> PutCallRatioAsync(string baseCoin, CancellationToken cancellationToken)
    {
        using var document = await GetAsync($"/v5/market/tickers?category=option&baseCoin={Uri.EscapeDataString(baseCoin)}", $"{baseCoin} options", cancellationToken);
        double puts = 0, calls = 0;
        var count = 0;
        foreach (var ticker in document.RootElement.GetProperty("result").GetProperty("list").EnumerateArray())
        {
            // Option symbols read BASE-EXPIRY-STRIKE-C|P (USDT-settled ones add -USDT).
            var parts = ticker.GetProperty("symbol").GetString()!.Split('-');
            var openInterest = Number(ticker.GetProperty("openInterest"));
            if (parts.Length < 4 || !double.IsFinite(openInterest))
            {
                continue;
            }

            count++;
            if (parts[3] == "P")
            {
                puts += openInterest;
            }
            else if (parts[3] == "C")
            {
                calls += openInterest;
            }
        }

        if (count == 0 || calls == 0)
        {
            throw new TvException("symbol_error", $"Bybit lists no call open interest for {baseCoin} options; check the base coin (BTC, ETH, SOL).");
        }

        var at = document.RootElement.TryGetProperty("time", out var stamp) && stamp.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds(stamp.GetInt64()) : time.GetUtcNow();
        return new PutCallRatio(baseCoin, Math.Round(puts / calls, 4), Math.Round(puts, 4), Math.Round(calls, 4), count, at);
    }
}
