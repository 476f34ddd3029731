using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Api;

/// <summary>Requires a configured key in <c>X-Api-Key</c>, compared in constant time.</summary>
public sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0 || !IsKnown(options.Value, presented))
        {
            return TypedResults.Problem(
                title: "Unauthorized",
                detail: presented.Length == 0 ? $"The {HeaderName} header is missing." : $"The {HeaderName} is not valid.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
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
