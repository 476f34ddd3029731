using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Which ordered lane an alert travels: alerts of one strategy and symbol always share a lane, and a
/// lane is processed one alert at a time, so a close is never overtaken by the reverse. The hash is
/// stable across processes and versions (never <see cref="string.GetHashCode()"/>).
/// </summary>
public static class AlertPartitioning
{
    public static int Partition(string strategy, string ticker, int partitions)
    {
        if (partitions <= 1)
        {
            return 0;
        }

        var key = Encoding.UTF8.GetBytes($"{strategy}|{ticker.ToUpperInvariant()}");
        var hash = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key));
        return (int)(hash % (uint)partitions);
    }

    /// <summary>Parses <c>"0-3,6"</c> into partition numbers below <paramref name="partitions"/>; empty means all.</summary>
    public static IReadOnlyList<int> ParseSelection(string? selection, int partitions)
    {
        if (string.IsNullOrWhiteSpace(selection))
        {
            return Enumerable.Range(0, partitions).ToList();
        }

        var chosen = new SortedSet<int>();
        foreach (var part in selection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var from = int.Parse(dash < 0 ? part : part[..dash], System.Globalization.CultureInfo.InvariantCulture);
            var to = dash < 0 ? from : int.Parse(part[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (from < 0 || to >= partitions || from > to)
            {
                throw new FormatException($"Partition range \"{part}\" is outside 0–{partitions - 1}.");
            }

            for (var p = from; p <= to; p++)
            {
                chosen.Add(p);
            }
        }

        return chosen.ToList();
    }
}
