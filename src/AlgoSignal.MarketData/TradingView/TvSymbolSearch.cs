using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>TradingView's symbol search (v3): <c>?text=…&amp;exchange=…</c> with TradingView's Origin and Referer.</summary>
public sealed partial class TvSymbolSearch(HttpClient http, IOptions<TradingViewOptions> options)
{
    public async Task<IReadOnlyList<SymbolMatch>> SearchAsync(string text, string? exchange, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = $"{settings.SymbolSearchUrl}?text={Uri.EscapeDataString(text)}&exchange={Uri.EscapeDataString(exchange ?? "")}&hl=1&lang=en&domain=production";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Origin", settings.Origin);
        request.Headers.Referrer = new Uri(settings.Origin + "/");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TvException("disconnected", $"TradingView symbol search could not be reached: {ex.Message}", transient: true, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new TvException("search_failed", $"TradingView symbol search answered HTTP {(int)response.StatusCode}.");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var symbols = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("symbols", out var list) ? list : body;
            if (symbols.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return symbols.EnumerateArray().Select(s => new SymbolMatch(
                Clean(Text(s, "symbol")), Clean(Text(s, "description")), Text(s, "type"), Text(s, "exchange"), Text(s, "currency_code"))).ToList();
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    // The search highlights the matched text with <em> tags.
    private static string Clean(string text) => Tags().Replace(text, "");

    [GeneratedRegex("</?em>")]
    private static partial Regex Tags();
}
