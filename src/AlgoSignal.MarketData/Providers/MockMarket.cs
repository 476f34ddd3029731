using System.Security.Cryptography;
using System.Text;
using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData.Providers;

/// <summary>
/// A deterministic synthetic market: each symbol's price is a smooth function of time (a level from the
/// symbol's hash, three waves of a day, an hour and four minutes with phases from the hash), so history
/// and the live feed agree, every process computes the same bars, and tests can know where the price
/// will be. Bars are sampled from it: open and close at the bar's edges, high and low over the bar.
/// </summary>
public static class MockMarket
{
    private const int SamplesPerBar = 16;

    public static double PriceAt(string fullSymbol, DateTimeOffset at, double amplitude)
    {
        var shape = Shape.Of(fullSymbol);
        var s = at.ToUnixTimeMilliseconds() / 1000.0;
        var wave = (0.6 * Math.Sin((2 * Math.PI * s / 86_400) + shape.Day))
            + (0.3 * Math.Sin((2 * Math.PI * s / 3_600) + shape.Hour))
            + (0.1 * Math.Sin((2 * Math.PI * s / 240) + shape.Minutes));
        return Math.Round(shape.Level * (1 + (amplitude * wave)), 4);
    }

    /// <summary>The bar opening at <paramref name="start"/>, as far as <paramref name="now"/> has formed it.</summary>
    public static Bar BarAt(string fullSymbol, Timeframe timeframe, DateTimeOffset start, DateTimeOffset now, double amplitude)
    {
        var end = start + timeframe.Length;
        var forming = end > now;
        var last = forming ? now : end;
        var open = PriceAt(fullSymbol, start, amplitude);
        var close = PriceAt(fullSymbol, last, amplitude);
        double high = Math.Max(open, close), low = Math.Min(open, close);
        var step = (last - start) / SamplesPerBar;
        for (var i = 1; i < SamplesPerBar && step > TimeSpan.Zero; i++)
        {
            var price = PriceAt(fullSymbol, start + (step * i), amplitude);
            high = Math.Max(high, price);
            low = Math.Min(low, price);
        }

        var volume = 100 + (Shape.Of(fullSymbol).Noise(start.ToUnixTimeSeconds()) % 900);
        return new Bar(start, open, high, low, close, volume, forming);
    }

    /// <summary>The newest <paramref name="count"/> bars up to the one forming at <paramref name="now"/>, oldest first.</summary>
    public static List<Bar> History(string fullSymbol, Timeframe timeframe, int count, DateTimeOffset now, double amplitude)
    {
        var newest = CurrentStart(timeframe, now);
        var bars = new List<Bar>(count);
        for (var i = count - 1; i >= 0; i--)
        {
            var start = newest - (timeframe.Length * i);
            if (start.ToUnixTimeSeconds() > 0)
            {
                bars.Add(BarAt(fullSymbol, timeframe, start, now, amplitude));
            }
        }

        return bars;
    }

    /// <summary>The start of the interval running at <paramref name="now"/>, aligned to the UNIX epoch.</summary>
    public static DateTimeOffset CurrentStart(Timeframe timeframe, DateTimeOffset now)
    {
        var length = (long)timeframe.Length.TotalSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / length * length);
    }

    private sealed record Shape(double Level, double Day, double Hour, double Minutes, ulong Seed)
    {
        public static Shape Of(string fullSymbol)
        {
            // A hash of the name, not string.GetHashCode (randomised per process): every process and every
            // run must see the same market.
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fullSymbol.ToUpperInvariant()));
            var seed = BitConverter.ToUInt64(hash, 0);
            return new Shape(
                Level: 20 + (seed % 98_000 / 100.0),
                Day: hash[8] / 255.0 * 2 * Math.PI,
                Hour: hash[9] / 255.0 * 2 * Math.PI,
                Minutes: hash[10] / 255.0 * 2 * Math.PI,
                Seed: seed);
        }

        public long Noise(long value)
        {
            var mixed = (ulong)value ^ Seed;
            mixed ^= mixed >> 33;
            mixed *= 0xff51afd7ed558ccdUL;
            mixed ^= mixed >> 33;
            return (long)(mixed % 1_000_000);
        }
    }
}
