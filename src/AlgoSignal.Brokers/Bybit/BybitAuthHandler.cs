using System.Globalization;
using System.Text.Json;
using AlgoSignal.Brokers.Bybit.Wire;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers.Bybit;

/// <summary>
/// Bybit's authentication, on the HttpClient: every request is signed (<see cref="BybitSigner"/>) over the exact bytes
/// sent — the body, or the query string as it goes out — with a timestamp on the server's clock, measured from
/// <c>/v5/market/time</c> every five minutes. A request Bybit refuses for its timestamp (retCode 10002) is signed again
/// after resynchronising and sent once more: it never reached the order book. Requests marked <see cref="Public"/>
/// (instruments, server time) go unsigned.
/// </summary>
public sealed class BybitAuthHandler(IOptions<BybitOptions> options, TimeProvider time) : DelegatingHandler
{
    /// <summary>Marks a request of Bybit's public market data, which carries no signature.</summary>
    public static readonly HttpRequestOptionsKey<bool> Public = new("AlgoSignal.Bybit.Public");

    private static readonly TimeSpan ClockCheckEvery = TimeSpan.FromMinutes(5);

    private readonly BybitOptions _options = options.Value;
    private readonly SemaphoreSlim _clockGate = new(1, 1);
    private long _clockOffsetMs;
    private DateTimeOffset _clockCheckedAt = DateTimeOffset.MinValue;

    /// <summary>The handler with Bybit's authentication in front of a plain connection (for an adapter built without the HttpClient factory).</summary>
    public static HttpClient CreateClient(BybitOptions options, TimeProvider time) =>
        new(new BybitAuthHandler(Options.Create(options), time) { InnerHandler = new SocketsHttpHandler() });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Public, out var isPublic) && isPublic)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        await SyncClockAsync(request.RequestUri!, force: false, cancellationToken);
        Sign(request, body);
        var response = await base.SendAsync(request, cancellationToken);
        if (!await RefusedTimestampAsync(response, cancellationToken))
        {
            return response;
        }

        // Out of the receive window: refused before anything happened, so resynchronise and send the same bytes once more.
        response.Dispose();
        await SyncClockAsync(request.RequestUri!, force: true, cancellationToken);
        using var again = new HttpRequestMessage(request.Method, request.RequestUri);
        if (body is not null)
        {
            again.Content = BrokerContent.Json(body);
        }

        Sign(again, body);
        return await base.SendAsync(again, cancellationToken);
    }

    private void Sign(HttpRequestMessage request, byte[]? body)
    {
        var key = _options.ApiKey ?? throw new BrokerException("Brokers:Bybit:ApiKey is not configured.");
        var secret = _options.ApiSecret ?? throw new BrokerException("Brokers:Bybit:ApiSecret is not configured.");
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Read(ref _clockOffsetMs);
        var payload = body ?? System.Text.Encoding.UTF8.GetBytes(request.RequestUri?.Query.TrimStart('?') ?? "");
        foreach (var header in (string[])["X-BAPI-API-KEY", "X-BAPI-TIMESTAMP", "X-BAPI-RECV-WINDOW", "X-BAPI-SIGN"])
        {
            request.Headers.Remove(header);
        }

        request.Headers.Add("X-BAPI-API-KEY", key);
        request.Headers.Add("X-BAPI-TIMESTAMP", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-BAPI-RECV-WINDOW", _options.RecvWindowMs.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-BAPI-SIGN", BybitSigner.Sign(secret, timestamp, key, _options.RecvWindowMs, payload));
    }

    private static async Task<bool> RefusedTimestampAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType is not "application/json")
        {
            return false;
        }

        // Buffered, so the adapter still reads the whole answer afterwards.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken), BybitWireContext.Default.BybitClock)?.RetCode == 10002;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task SyncClockAsync(Uri requestUri, bool force, CancellationToken cancellationToken)
    {
        if (!force && time.GetUtcNow() - _clockCheckedAt < ClockCheckEvery)
        {
            return;
        }

        await _clockGate.WaitAsync(cancellationToken);
        try
        {
            if (!force && time.GetUtcNow() - _clockCheckedAt < ClockCheckEvery)
            {
                return;
            }

            var address = Uri.TryCreate(_options.BaseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var configured) ? configured : new Uri(requestUri.GetLeftPart(UriPartial.Authority) + "/");
            using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "v5/market/time"));
            var before = time.GetUtcNow().ToUnixTimeMilliseconds();
            using var response = await base.SendAsync(ask, cancellationToken);
            var after = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (!response.IsSuccessStatusCode)
            {
                throw new BrokerException($"Bybit answered HTTP {(int)response.StatusCode} to the server time.");
            }

            try
            {
                var server = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken), BybitWireContext.Default.BybitClock)?.Time
                    ?? throw new JsonException("No server time.");
                Interlocked.Exchange(ref _clockOffsetMs, server - ((before + after) / 2));
                _clockCheckedAt = time.GetUtcNow();
            }
            catch (JsonException)
            {
                throw new BrokerException("Bybit answered the server time in an unexpected shape.");
            }
        }
        finally
        {
            _clockGate.Release();
        }
    }
}
