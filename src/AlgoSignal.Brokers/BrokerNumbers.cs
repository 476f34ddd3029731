using System.Globalization;

namespace AlgoSignal.Brokers;

/// <summary>
/// Numbers as brokers expect them: invariant culture, no exponent, no trailing zeros (<c>5</c>, never
/// <c>5.00000000</c> — a decimal keeps the scale it was computed with, and the brokers' documented
/// examples are all canonical), rounded to the instrument's step when it is known.
/// </summary>
public static class BrokerNumbers
{
    private const string Format = "0.############################";

    /// <summary>The canonical text of <paramref name="value"/>.</summary>
    public static string Text(decimal value) => value.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> with its trailing zeros dropped, for bodies that carry JSON numbers.</summary>
    public static decimal Canonical(decimal value) => decimal.Parse(Text(value), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary><paramref name="value"/> rounded to a multiple of <paramref name="step"/> (to nearest; a step of 0 leaves it).</summary>
    public static decimal ToStep(decimal value, decimal step) =>
        step <= 0m ? Canonical(value) : Canonical(Math.Round(value / step, MidpointRounding.AwayFromZero) * step);
}
