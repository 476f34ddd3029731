using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// A time in a query (<c>from</c>, <c>to</c>), ISO-8601: <c>2026-12-02T09:30:00Z</c>, with an offset, or a date
/// alone (its midnight UTC); a time without an offset is UTC. Anything else is a 400 naming the parameter.
/// </summary>
public static partial class QueryTime
{
    public static bool TryRead(string name, string? raw, out DateTimeOffset? time, out ValidationProblem? invalid)
    {
        time = null;
        invalid = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        // The framework's parser also takes culture formats ("12/02/2026"); ISO-8601's shape is checked first.
        if (IsoShape().IsMatch(raw)
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        var shown = raw.Length > 40 ? raw[..40] + "…" : raw;
        invalid = JsonBody.Invalid(name, $"The query parameter \"{name}\" must be an ISO-8601 time such as 2026-12-02T09:30:00Z (or a date such as 2026-12-02); got \"{shown}\".");
        return false;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoShape();
}
