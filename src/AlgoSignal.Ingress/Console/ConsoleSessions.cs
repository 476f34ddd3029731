using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Ingress.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Browser sessions (README, "Console"): a valid API key posted to <c>/api/v1/session</c> becomes an
/// ASP.NET Core authentication cookie (a data-protected ticket; the key itself is never in it nor in the
/// browser), and every change made with that cookie must carry the antiforgery token in
/// <see cref="CsrfHeader"/>. Requests with <c>X-Api-Key</c> are machines and need neither.
/// </summary>
public sealed class ConsoleSessions(IAntiforgery antiforgery, IOptions<ApiOptions> api)
{
    public const string Scheme = "AlgoSignalConsole";
    public const string CookieName = "algosignal_session";
    public const string AntiforgeryCookieName = "algosignal_csrf";
    public const string CsrfHeader = "X-CSRF-TOKEN";
    public const string SessionIdClaim = "sid";
    public const string KeyClaim = "key";

    /// <summary>The application name the data-protection keys are bound to: the same on every ingress.</summary>
    public const string ApplicationName = "AlgoSignal";

    /// <summary>The signed-in principal, or null when the request carries no valid, unexpired session cookie.</summary>
    public static async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext http)
    {
        if (!http.Request.Cookies.ContainsKey(CookieName))
        {
            return null;
        }

        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            return null;
        }

        http.User = result.Principal;
        return result.Principal;
    }

    public static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    public async Task<bool> IsAntiforgeryValidAsync(HttpContext http)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>A fresh request token for the signed-in user (and its cookie half, set on the answer).</summary>
    public string IssueAntiforgeryToken(HttpContext http) => antiforgery.GetAndStoreTokens(http).RequestToken!;

    public static IResult AntiforgeryRefusal() =>
        TypedResults.Problem(
            title: "Antiforgery token missing or not valid",
            detail: $"A change made with the console's session cookie must carry the {CsrfHeader} header with the antiforgery_token of GET /api/v1/session. Nothing was changed.",
            statusCode: StatusCodes.Status400BadRequest);

    /// <summary>
    /// What identifies the key a session was opened with, inside the (encrypted) ticket: a hash, so that
    /// removing the key from <c>Api:Keys</c> ends its sessions too.
    /// </summary>
    public static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("algosignal-session:" + key)));

    public bool IsKeyStillConfigured(string? fingerprint) =>
        fingerprint is not null && api.Value.Keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Fingerprint(k)), Encoding.ASCII.GetBytes(fingerprint)));
}
