using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// The <c>limit</c> of the list routes (1–1,000, default 100), read from text so that a bad value is a
/// 400 naming it rather than the framework's bare binding failure.
/// </summary>
public static class ListLimit
{
    public const int Default = 100;
    public const int Max = 1000;

    public static bool TryRead(string? raw, out int limit, out ValidationProblem? invalid)
    {
        invalid = null;
        limit = Default;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= Max)
        {
            return true;
        }

        invalid = JsonBody.Invalid("limit", $"The query parameter \"limit\" must be a whole number from 1 to {Max}.");
        return false;
    }
}
