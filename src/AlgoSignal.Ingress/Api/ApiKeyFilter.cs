using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Ingress.Console;
using AlgoSignal.Ingress.Security;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// Requires a configured key in <c>X-Api-Key</c>, compared in constant time; wrong keys are limited per
/// address. Without the header, the console's session cookie is accepted instead, and then every change
/// (POST, PUT, PATCH, DELETE) must also carry its antiforgery token: a cookie is sent by the browser on
/// its own, a header key never is.
/// </summary>
public sealed class ApiKeyFilter(ApiKeyGuard guard, ConsoleSessions sessions) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0 && await ConsoleSessions.AuthenticateAsync(http) is not null)
        {
            if (ConsoleSessions.IsStateChanging(http.Request.Method) && !await sessions.IsAntiforgeryValidAsync(http))
            {
                return ConsoleSessions.AntiforgeryRefusal();
            }

            return await next(context);
        }

        var check = guard.Check(http, presented);
        return check.IsValid ? await next(context) : Refusal(http, check);
    }

    /// <summary>The answer for a refused key: 401 saying what is wrong, or 429 with <c>Retry-After</c>.</summary>
    public static IResult Refusal(HttpContext http, ApiKeyCheck check, string presentedAs = HeaderName)
    {
        if (check.Status == ApiKeyStatus.Limited)
        {
            http.Response.Headers.RetryAfter = check.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many wrong API keys",
                detail: $"Too many wrong {presentedAs} values from this address; retry in {check.RetryAfterSeconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Problem(
            title: "Unauthorized",
            detail: check.Status == ApiKeyStatus.Missing
                ? $"The {HeaderName} header is missing (a browser signs in at /signin instead)."
                : $"The {presentedAs} is not valid.",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    public static bool IsKnown(ApiOptions options, string presented)
    {
        if (presented.Length == 0)
        {
            return false;
        }

        // Hashing first makes every comparison the same length, so time reveals neither key nor length.
        var candidate = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in options.Keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(candidate, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return match;
    }
}
