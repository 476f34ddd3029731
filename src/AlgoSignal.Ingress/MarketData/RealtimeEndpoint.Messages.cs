using System.Globalization;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData.Realtime;

namespace AlgoSignal.Ingress.MarketData;

// The messages: a client's subscribe/unsubscribe read and answered, and each update framed for the client.
public static partial class RealtimeEndpoint
{
    private static (object Answer, IReadOnlyList<StreamKey> Subscribed) Handle(byte[] message, Connection connection)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(message);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (Error($"Malformed JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}."), []);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return (Error("Send {\"type\":\"subscribe\"|\"unsubscribe\",\"symbols\":[\"BINANCE:BTCUSDT\"],\"timeframes\":[\"1\"]}."), []);
        }

        var symbols = Strings(root, "symbols");
        if (symbols is null || symbols.Count == 0)
        {
            return (Error("\"symbols\" must list EXCHANGE:SYMBOL names, e.g. [\"BINANCE:BTCUSDT\"]."), []);
        }

        var limit = connection.Options.MaxSubscriptionsPerConnection;
        if (symbols.Count > limit)
        {
            return (Error($"\"symbols\" lists {symbols.Count} names; at most {limit} subscriptions per connection."), []);
        }

        var parsedSymbols = new List<(string Exchange, string Symbol)>();
        for (var i = 0; i < symbols.Count; i++)
        {
            var colon = symbols[i].IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !SymbolText.IsExchange(symbols[i][..colon]) || !SymbolText.IsSymbol(symbols[i][(colon + 1)..]))
            {
                return (Error($"\"symbols\"[{i}] must be EXCHANGE:SYMBOL with {SymbolText.Rule}, e.g. \"BINANCE:BTCUSDT\"."), []);
            }

            parsedSymbols.Add((symbols[i][..colon].ToUpperInvariant(), symbols[i][(colon + 1)..].ToUpperInvariant()));
        }

        var parsed = new List<Timeframe>();
        foreach (var form in Strings(root, "timeframes") is { Count: > 0 } timeframes ? timeframes : ["1"])
        {
            if (!Timeframe.TryParse(form, out var timeframe))
            {
                return (Error($"Timeframe {SymbolText.Quote(form)} is not valid; use one of {string.Join(", ", Timeframe.Accepted)}."), []);
            }

            parsed.Add(timeframe);
        }

        var keys = parsedSymbols.SelectMany(s => parsed.Select(t => (Key: new StreamKey(s.Exchange, s.Symbol, t.Code), Timeframe: t))).DistinctBy(k => k.Key).ToList();
        var subscriptions = connection.Subscriptions;
        switch (type.GetString())
        {
            case "subscribe":
                var adding = keys.Where(k => !subscriptions.ContainsKey(k.Key)).ToList();
                if (subscriptions.Count + adding.Count > limit)
                {
                    return (Error($"At most {limit} symbol/timeframe subscriptions per connection (MarketData:Realtime:MaxSubscriptionsPerConnection)."), []);
                }

                if (!connection.Hub.TrySubscribe(adding, connection.Subscriber))
                {
                    return (Error($"The server follows at most {connection.Hub.MaxStreams} symbol/timeframe streams for all clients together (MarketData:Realtime:MaxUpstreamStreams), and these would open more. Subscribe to a symbol already followed, or try again later."), []);
                }

                foreach (var (key, timeframe) in adding)
                {
                    subscriptions[key] = timeframe;
                }

                return (new { type = "subscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() }, adding.Select(k => k.Key).ToList());
            case "unsubscribe":
                foreach (var (key, _) in keys.Where(k => subscriptions.Remove(k.Key)))
                {
                    connection.Hub.Unsubscribe(key, connection.Subscriber);
                }

                return (new { type = "unsubscribed", symbols = keys.Select(k => k.Key.FullSymbol).Distinct(), timeframes = parsed.Select(t => t.Code).Distinct() }, []);
            default:
                return (Error($"Unknown type {SymbolText.Quote(type.GetString())}; use subscribe or unsubscribe."), []);
        }
    }

    private static object Frame(RealtimeUpdate update)
    {
        if (update.Bar is { } bar)
        {
            return new
            {
                type = "realtime_data",
                symbol = update.Key.FullSymbol,
                timeframe = update.Key.Timeframe,
                data = new
                {
                    price = bar.Close,
                    bar = new
                    {
                        time = bar.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                        open = bar.Open,
                        high = bar.High,
                        low = bar.Low,
                        close = bar.Close,
                        volume = bar.Volume,
                        forming = bar.IsForming,
                    },
                },
            };
        }

        return update.State is { } state
            ? new { type = "status", symbol = update.Key.FullSymbol, timeframe = update.Key.Timeframe, state, reason = update.Reason, retry_in_ms = update.RetryInMs }
            : new { type = "error", symbol = update.Key.FullSymbol, timeframe = update.Key.Timeframe, message = update.Error };
    }

    private static object Error(string message) => new { type = "error", message };

    private static List<string>? Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!.Trim()).ToList()
            : null;

    private sealed record Connection(RealtimeHub Hub, RealtimeSubscriber Subscriber, Dictionary<StreamKey, Timeframe> Subscriptions, RealtimeOptions Options);
}
