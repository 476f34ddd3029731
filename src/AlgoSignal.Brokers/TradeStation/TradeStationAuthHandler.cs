using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AlgoSignal.Brokers.TradeStation.Wire;
using AlgoSignal.Domain.Strategies;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Brokers.TradeStation;

/// <summary>
/// TradeStation's OAuth session, shared by every request of the process: the access token refreshed a minute before it
/// expires (they last 20 minutes) and, a rotated refresh token kept in <see cref="IRefreshTokenStore"/> so it survives a
/// restart. One refresh at a time.
/// </summary>
public sealed class TradeStationSession(IOptions<TradeStationOptions> options, IRefreshTokenStore store, TimeProvider time)
{
    private const string BrokerName = BrokerNames.TradeStation;

    private readonly TradeStationOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _accessToken;
    private DateTimeOffset _expires;

    /// <summary>A valid access token; <paramref name="force"/> refreshes even a token that has not expired (TradeStation refused it).</summary>
    public async Task<string> AccessTokenAsync(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!force && _accessToken is not null && time.GetUtcNow() < _expires - TimeSpan.FromMinutes(1))
            {
                return _accessToken;
            }

            var refreshToken = await store.LoadAsync(BrokerName, cancellationToken) ?? _options.RefreshToken
                ?? throw new BrokerException("Brokers:TradeStation:RefreshToken is not configured.");
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["client_id"] = _options.ClientId ?? "",
                    ["client_secret"] = _options.ClientSecret ?? "",
                    ["refresh_token"] = refreshToken,
                }),
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            HttpResponseMessage response;
            try
            {
                response = await send(request, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new BrokerException($"TradeStation's token refresh did not complete: {ex.Message}", ex);
            }

            using (response)
            {
                TradeStationToken? answer;
                try
                {
                    answer = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), TradeStationWireContext.Default.TradeStationToken);
                }
                catch (JsonException)
                {
                    throw new BrokerException($"TradeStation answered the token refresh with HTTP {(int)response.StatusCode} without the expected JSON.");
                }

                if (!response.IsSuccessStatusCode || answer?.AccessToken is not { Length: > 0 } token)
                {
                    throw new BrokerException($"TradeStation token refresh failed (HTTP {(int)response.StatusCode}).");
                }

                _accessToken = token;
                _expires = time.GetUtcNow().AddSeconds(answer.ExpiresIn ?? 1200);
                if (answer.RefreshToken is { Length: > 0 } next && next != refreshToken)
                {
                    // Refresh tokens may rotate: the new one must survive a restart.
                    await store.SaveAsync(BrokerName, next, cancellationToken);
                }

                return token;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// TradeStation's authentication, on the HttpClient: a bearer access token from <see cref="TradeStationSession"/> on
/// every request, and one refresh and one repeat when TradeStation answers 401 (a token revoked or expired early — the
/// request was refused, so repeating it cannot place twice).
/// </summary>
public sealed class TradeStationAuthHandler(TradeStationSession session) : DelegatingHandler
{
    /// <summary>The handler with TradeStation's authentication in front of a plain connection (for an adapter built without the HttpClient factory).</summary>
    public static HttpClient CreateClient(TradeStationSession session) => new(new TradeStationAuthHandler(session) { InnerHandler = new SocketsHttpHandler() });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await session.AccessTokenAsync(base.SendAsync, force: false, cancellationToken));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        using var again = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var accept in request.Headers.Accept)
        {
            again.Headers.Accept.Add(accept);
        }

        if (body is not null)
        {
            again.Content = BrokerContent.Json(body);
        }

        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await session.AccessTokenAsync(base.SendAsync, force: true, cancellationToken));
        return await base.SendAsync(again, cancellationToken);
    }
}
