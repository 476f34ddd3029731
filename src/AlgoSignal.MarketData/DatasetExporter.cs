using System.Globalization;
using AlgoSignal.Domain.MarketData;
using CsvHelper;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The research export: <c>{DatasetsPath}/{exchange}_{symbol}_{timeframe}_{n_bars}.csv</c> with a header
/// <c>time,open,high,low,close,volume</c>, ISO-8601 UTC times, invariant numbers, empty volume when the
/// instrument has none. Written to a temporary file and renamed, so a reader never sees half a file.
/// </summary>
public sealed class DatasetExporter(IOptions<MarketDataOptions> options)
{
    public static readonly string[] Header = ["time", "open", "high", "low", "close", "volume"];

    public string PathFor(SeriesKey key, int bars) =>
        Path.Combine(options.Value.DatasetsPath, $"{Safe(key.Exchange)}_{Safe(key.Symbol)}_{Safe(key.Timeframe)}_{bars}.csv");

    public async Task<string?> ExportAsync(SeriesKey key, int requestedBars, IReadOnlyList<Bar> bars, CancellationToken cancellationToken)
    {
        if (!options.Value.ExportDatasets)
        {
            return null;
        }

        var path = PathFor(key, requestedBars);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        await using (var writer = new StreamWriter(temporary))
        await using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var column in Header)
            {
                csv.WriteField(column);
            }

            await csv.NextRecordAsync();
            foreach (var bar in bars)
            {
                csv.WriteField(bar.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                csv.WriteField(bar.Open.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(bar.High.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(bar.Low.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(bar.Close.ToString("R", CultureInfo.InvariantCulture));
                csv.WriteField(bar.Volume?.ToString("R", CultureInfo.InvariantCulture) ?? "");
                await csv.NextRecordAsync();
            }
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>Reads a dataset back (for backtests and the CLI's loader).</summary>
    public static async Task<List<Bar>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var bars = new List<Bar>();
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var volume = csv.GetField("volume");
            bars.Add(new Bar(
                DateTimeOffset.Parse(csv.GetField("time")!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                double.Parse(csv.GetField("open")!, CultureInfo.InvariantCulture),
                double.Parse(csv.GetField("high")!, CultureInfo.InvariantCulture),
                double.Parse(csv.GetField("low")!, CultureInfo.InvariantCulture),
                double.Parse(csv.GetField("close")!, CultureInfo.InvariantCulture),
                string.IsNullOrEmpty(volume) ? null : double.Parse(volume, CultureInfo.InvariantCulture)));
        }

        return bars;
    }

    private static string Safe(string part) => string.Concat(part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-'));
}
