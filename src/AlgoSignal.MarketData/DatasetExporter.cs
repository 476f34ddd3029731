using System.Globalization;
using AlgoSignal.Domain.MarketData;
using CsvHelper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData;

/// <summary>
/// The research export: <c>{DatasetsPath}/{exchange}_{symbol}_{timeframe}.csv</c> with a header
/// <c>time,open,high,low,close,volume</c>, ISO-8601 UTC times, invariant numbers, empty volume when the
/// instrument has none. Written to a temporary file and renamed, so a reader never sees half a file.
/// One file per series and timeframe, rewritten by every fetch (the bar count is not in the name, so
/// asking for 1, 2, 3… bars cannot fill the disk), and the directory is kept within
/// <c>MarketData:Exports:MaxFiles</c> and <c>MaxAgeDays</c>.
/// </summary>
public sealed partial class DatasetExporter(IOptions<MarketDataOptions> options, IOptions<ExportOptions> exports, TimeProvider time, ILogger<DatasetExporter> logger)
{
    public static readonly string[] Header = ["time", "open", "high", "low", "close", "volume"];

    public string PathFor(SeriesKey key) =>
        Path.Combine(options.Value.DatasetsPath, $"{Safe(key.Exchange)}_{Safe(key.Symbol)}_{Safe(key.Timeframe)}.csv");

    public async Task<string?> ExportAsync(SeriesKey key, IReadOnlyList<Bar> bars, CancellationToken cancellationToken)
    {
        if (!options.Value.ExportDatasets)
        {
            return null;
        }

        var path = PathFor(key);
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
        Prune(Path.GetDirectoryName(Path.GetFullPath(path))!, path);
        return path;
    }

    /// <summary>
    /// Deletes datasets older than the retention, then the least recently written beyond the file limit
    /// (never <paramref name="keep"/>, just written), and temporary files a crash left behind.
    /// </summary>
    public int Prune(string directory, string? keep = null)
    {
        var settings = exports.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var deleted = 0;
        var files = new DirectoryInfo(directory).EnumerateFiles("*.csv")
            .Where(f => keep is null || !string.Equals(f.FullName, Path.GetFullPath(keep), StringComparison.Ordinal))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .ToList();
        var room = settings.MaxFiles == 0 ? int.MaxValue : Math.Max(0, settings.MaxFiles - (keep is null ? 0 : 1));
        for (var i = 0; i < files.Count; i++)
        {
            var expired = settings.MaxAgeDays > 0 && now - files[i].LastWriteTimeUtc > TimeSpan.FromDays(settings.MaxAgeDays);
            if (i >= room || expired)
            {
                deleted += TryDelete(files[i]);
            }
        }

        foreach (var leftover in new DirectoryInfo(directory).EnumerateFiles("*.csv.*.tmp").Where(f => now - f.LastWriteTimeUtc > TimeSpan.FromHours(1)))
        {
            deleted += TryDelete(leftover);
        }

        if (deleted > 0)
        {
            LogPruned(logger, deleted, directory);
        }

        return deleted;
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

    private static int TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another process (a reader, a second worker) holds it; the next prune tries again.
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} dataset file(s) beyond MarketData:Exports:MaxFiles/MaxAgeDays in {Directory}")]
    private static partial void LogPruned(ILogger logger, int count, string directory);

    private static string Safe(string part) => string.Concat(part.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-'));
}
