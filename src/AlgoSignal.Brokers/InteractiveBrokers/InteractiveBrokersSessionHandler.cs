using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AlgoSignal.Brokers.InteractiveBrokers.Wire;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers.InteractiveBrokers;

/// <summary>
/// The Client Portal Gateway's session, on the HttpClient: checked at most once a minute before a request — opened with
/// <c>iserver/auth/ssodh/init</c> when it is not authenticated, the accounts asked for (the gateway wants that before
/// orders) and kept with <c>tickle</c> — and renewed once, with the request repeated once, when the gateway answers 401
/// (a request refused for its session never reached the order book).
/// </summary>
public sealed class InteractiveBrokersSessionHandler(IOptions<InteractiveBrokersOptions> options, TimeProvider time) : DelegatingHandler
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(60);

    private readonly InteractiveBrokersOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The handler with the session in front of a connection that accepts the gateway's certificate as configured.</summary>
    public static HttpClient CreateClient(InteractiveBrokersOptions options, TimeProvider time) =>
        new(new InteractiveBrokersSessionHandler(Options.Create(options), time) { InnerHandler = InteractiveBrokersAdapter.CreateHandler(options) });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await EnsureAsync(force: false, cancellationToken);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Expired between checks: renew once and repeat once.
        response.Dispose();
        _checkedAt = DateTimeOffset.MinValue;
        await EnsureAsync(force: true, cancellationToken);
        using var again = new HttpRequestMessage(request.Method, request.RequestUri);
        if (body is not null)
        {
            again.Content = BrokerContent.Json(body);
        }

        return await base.SendAsync(again, cancellationToken);
    }

    private async Task EnsureAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && time.GetUtcNow() - _checkedAt < CheckEvery)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!force && time.GetUtcNow() - _checkedAt < CheckEvery)
            {
                return;
            }

            var empty = JsonSerializer.SerializeToUtf8Bytes(new IbkrEmptyRequest(), IbkrWireContext.Default.IbkrEmptyRequest);
            if (!Authenticated(await CallAsync(HttpMethod.Post, "iserver/auth/status", empty, IbkrWireContext.Default.IbkrAuthStatus, cancellationToken)))
            {
                var init = JsonSerializer.SerializeToUtf8Bytes(new IbkrSsodhInit(Publish: true, Compete: true), IbkrWireContext.Default.IbkrSsodhInit);
                await CallAsync(HttpMethod.Post, "iserver/auth/ssodh/init", init, IbkrWireContext.Default.IbkrAuthStatus, cancellationToken);
                if (!Authenticated(await CallAsync(HttpMethod.Post, "iserver/auth/status", empty, IbkrWireContext.Default.IbkrAuthStatus, cancellationToken)))
                {
                    throw new BrokerException("The IBKR gateway session is not authenticated; log in to the Client Portal Gateway.");
                }
            }

            await CallAsync(HttpMethod.Get, "iserver/accounts", null, IbkrWireContext.Default.JsonElement, cancellationToken);
            await CallAsync(HttpMethod.Post, "tickle", empty, IbkrWireContext.Default.JsonElement, cancellationToken);
            _checkedAt = time.GetUtcNow();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool Authenticated(IbkrAuthStatus? status) => status?.Authenticated == true;

    /// <summary>A session call, read into <paramref name="wire"/> (default when the answer had no body).</summary>
    private async Task<T?> CallAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> wire, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(_options.BaseUrl.TrimEnd('/') + "/"), path));
        if (body is not null)
        {
            request.Content = BrokerContent.Json(body);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            using var response = await base.SendAsync(request, timeout.Token);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new BrokerException($"The IBKR gateway answered HTTP {(int)response.StatusCode} to {path}.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length == 0 ? default : JsonSerializer.Deserialize(text, wire);
        }
        catch (JsonException)
        {
            throw new BrokerException($"The IBKR gateway answered {path} without the expected JSON.");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new BrokerException($"The IBKR gateway did not answer {path} for its session: {ex.Message}", ex);
        }
    }
}
