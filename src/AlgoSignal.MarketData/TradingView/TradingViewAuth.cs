using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// The token sent with <c>set_auth_token</c>: anonymous when no login is configured; otherwise from a
/// username/password sign-in or a session cookie (for 2FA accounts). A configured login that fails is
/// an error — never a silent fall back to anonymous (delayed, capped) data.
/// </summary>
public sealed partial class TradingViewAuth(HttpClient http, IOptions<TradingViewOptions> options, TimeProvider time)
{
    public const string Anonymous = "unauthorized_user_token";

    // TradingView's tokens live about four hours; renew well before.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.HasLogin)
        {
            return Anonymous;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && time.GetUtcNow() < _expires)
            {
                return _token;
            }

            _token = !string.IsNullOrEmpty(settings.SessionId)
                ? await FromSessionAsync(settings, cancellationToken)
                : await SignInAsync(settings, cancellationToken);
            _expires = time.GetUtcNow() + TokenLifetime;
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> SignInAsync(TradingViewOptions settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.SignInUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = settings.Username ?? "",
                ["password"] = settings.Password ?? "",
                ["remember"] = "on",
            }),
        };
        request.Headers.Referrer = new Uri(settings.Origin);
        using var response = await Send(request, cancellationToken);
        JsonElement body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException)
        {
            throw new TvException("login_failed", $"TradingView sign-in answered HTTP {(int)response.StatusCode} without JSON.");
        }

        if (body.TryGetProperty("user", out var user) && user.TryGetProperty("auth_token", out var token) && token.GetString() is { Length: > 0 } value)
        {
            return value;
        }

        var code = body.TryGetProperty("code", out var c) ? c.GetString() : null;
        var error = body.TryGetProperty("error", out var e) ? e.GetString() : null;
        var hint = code switch
        {
            "2FA_required" => " The account uses two-factor authentication: set MarketData:TradingView:SessionId (TV_SESSION) from a logged-in browser instead.",
            "recaptcha_required" => " TradingView asks for a captcha: sign in once in a browser, or use the session cookie (TV_SESSION).",
            "invalid_credentials" => " Check TV_USERNAME / TV_PASSWORD.",
            _ => "",
        };
        throw new TvException("login_failed", $"TradingView sign-in failed ({code ?? "no code"}: {error ?? "no message"}).{hint}");
    }

    private async Task<string> FromSessionAsync(TradingViewOptions settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.SessionTokenUrl);
        request.Headers.Add("Cookie", $"sessionid={settings.SessionId}");
        using var response = await Send(request, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        var match = AuthToken().Match(html);
        return match.Success
            ? match.Groups[1].Value
            : throw new TvException("login_failed", "The TradingView session cookie (TV_SESSION) was not accepted: no auth token in the answer. Copy a fresh sessionid cookie.");
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TvException("login_failed", $"TradingView sign-in could not be reached: {ex.Message}", transient: true, ex);
        }
    }

    [GeneratedRegex("\"auth_token\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex AuthToken();
}
