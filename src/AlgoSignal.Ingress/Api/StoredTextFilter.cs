using AlgoSignal.Domain;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// Query filters and route values of the management API reach PostgreSQL as text; one it cannot hold
/// (NUL, a lone surrogate) is a 400 naming the parameter, before any query runs.
/// </summary>
public sealed class StoredTextFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var errors = new List<(string Field, string Message)>();
        foreach (var (name, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (value is not null && StoredText.Problem(value) is { } problem)
                {
                    errors.Add((Safe(name), $"The query parameter \"{Safe(name)}\" {problem}."));
                }
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && StoredText.Problem(text) is { } problem)
            {
                errors.Add((name, $"The path segment {{{name}}} {problem}."));
            }
        }

        return errors.Count > 0 ? JsonBody.Invalid(errors, "The request has invalid parameters; every one is listed.") : await next(context);
    }

    private static string Safe(string name) => StoredText.Problem(name) is null && name.Length <= 64 ? name : "(unreadable parameter name)";
}
