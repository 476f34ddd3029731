using System.Globalization;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// The bounds on numbers in an alert. Orders are computed in <see cref="decimal"/> (about 7.9e28):
/// a quantity and a price each up to 1e12 keep every product the worker forms (notional, P&amp;L,
/// cash) far inside it, so a 202 can never end in an overflow. PostgreSQL's <c>numeric</c> and
/// <c>jsonb</c> refuse exponents beyond about ±1000, which bounds the sender's extra numbers too.
/// </summary>
public static class AlertNumbers
{
    /// <summary>The largest quantity, price or position size an alert may carry.</summary>
    public const decimal MaxMagnitude = 1_000_000_000_000m;

    /// <summary>The most decimal places a price or quantity may have (decimal keeps 28 significant digits).</summary>
    public const int MaxDecimalPlaces = 12;

    private const int MaxExponent = 28;
    private const int MaxLength = 64;

    /// <summary>True when any JSON number of the body (also in extra fields) can be stored and read back as a decimal.</summary>
    public static bool IsStorable(string raw)
    {
        if (raw.Length > MaxLength || !decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var e = raw.AsSpan().IndexOfAny('e', 'E');
        return e < 0 || (int.TryParse(raw.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && Math.Abs(exponent) <= MaxExponent);
    }

    /// <returns>Null when <paramref name="value"/> is within the bounds of an order field, else what is wrong.</returns>
    public static string? OutOfBounds(decimal value)
    {
        if (Math.Abs(value) > MaxMagnitude)
        {
            return $"must be at most {MaxMagnitude.ToString("N0", CultureInfo.InvariantCulture)} in size";
        }

        return value.Scale > MaxDecimalPlaces && value != decimal.Round(value, MaxDecimalPlaces)
            ? $"must have at most {MaxDecimalPlaces} decimal places"
            : null;
    }
}
