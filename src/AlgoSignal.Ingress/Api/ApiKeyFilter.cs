using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Ingress.Security;

namespace AlgoSignal.Ingress.Api;

/// <summary>Requires a configured key in <c>X-Api-Key</c>, compared in constant time; wrong keys are limited per address.</summary>
public sealed class ApiKeyFilter(ApiKeyGuard guard) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var check = guard.Check(context.HttpContext, context.HttpContext.Request.Headers[HeaderName].ToString());
        return check.IsValid ? await next(context) : Refusal(context.HttpContext, check);
    }

    /// <summary>The answer for a refused key: 401 saying what is wrong, or 429 with <c>Retry-After</c>.</summary>
    public static IResult Refusal(HttpContext http, ApiKeyCheck check)
    {
        if (check.Status == ApiKeyStatus.Limited)
        {
            http.Response.Headers.RetryAfter = check.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                title: "Too many wrong API keys",
                detail: $"Too many wrong {HeaderName} values from this address; retry in {check.RetryAfterSeconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Problem(
            title: "Unauthorized",
            detail: check.Status == ApiKeyStatus.Missing ? $"The {HeaderName} header is missing." : $"The {HeaderName} is not valid.",
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
