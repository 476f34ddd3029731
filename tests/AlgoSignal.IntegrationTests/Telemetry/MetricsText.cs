using System.Globalization;
using System.Text.RegularExpressions;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>A scrape of a <c>/metrics</c> answer in Prometheus's text format, read the way Prometheus reads it.</summary>
public sealed partial class MetricsText(string text)
{
    public string Text { get; } = text;

    public static async Task<MetricsText> ScrapeAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return new MetricsText(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var sum = 0d;
        foreach (var line in Text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }

            var present = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.All(l => present.TryGetValue(l.Name, out var v) && v == l.Value))
            {
                sum += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>How much the samples of <paramref name="name"/> with <paramref name="labels"/> grew since an earlier scrape.</summary>
    public static double Delta(MetricsText before, MetricsText after, string name, params (string Name, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);

    /// <summary>The names of every sample in the scrape.</summary>
    public IReadOnlySet<string> Names() =>
        Text.Split('\n').Select(l => Sample().Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToHashSet();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Label();
}
