using System.Globalization;

namespace AlgoSignal.Bench;

/// <summary>The command line: <c>--quick</c>, <c>--url</c> (target a running AlgoSignal), <c>--rates 100,500</c>, <c>--duration 20</c>, …</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    public string? Url { get; init; }
    public string ApiKey { get; init; } = "bench-api-key-0123456789abcdef";
    public string HmacSecret { get; init; } = "bench-hmac-secret-0123456789abcdef";
    public IReadOnlyList<int> Rates { get; init; } = [100, 500, 1000];
    public int DurationSeconds { get; init; } = 30;
    public int SaturationSeconds { get; init; } = 30;
    public int Concurrency { get; init; } = 64;
    public int Symbols { get; init; } = 64;
    public int BaselineMessages { get; init; } = 20_000;
    public int MarketDataRequests { get; init; } = 300;
    public string Strategy { get; init; } = "bench";

    /// <summary>Soak: seconds at <see cref="SoakRate"/> alerts/s, reporting loss and memory growth (0 = no soak).</summary>
    public int SoakSeconds { get; init; }

    public int SoakRate { get; init; } = 200;

    /// <summary>Alert lanes (<c>RabbitMq:AlertPartitions</c>) of the private AlgoSignal.</summary>
    public int Partitions { get; init; } = 8;

    public static BenchOptions Parse(string[] args)
    {
        var options = args.Contains("--quick")
            ? new BenchOptions { Quick = true, Rates = [500], DurationSeconds = 5, SaturationSeconds = 2, BaselineMessages = 5_000, MarketDataRequests = 200 }
            : new BenchOptions();
        for (var i = 0; i < args.Length - 1; i++)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--url" => options with { Url = value },
                "--api-key" => options with { ApiKey = value },
                "--secret" => options with { HmacSecret = value },
                "--rates" => options with { Rates = value.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList() },
                "--duration" => options with { DurationSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--saturation" => options with { SaturationSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--symbols" => options with { Symbols = int.Parse(value, CultureInfo.InvariantCulture) },
                "--baseline" => options with { BaselineMessages = int.Parse(value, CultureInfo.InvariantCulture) },
                "--strategy" => options with { Strategy = value },
                "--soak" => options with { SoakSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--soak-rate" => options with { SoakRate = int.Parse(value, CultureInfo.InvariantCulture) },
                "--partitions" => options with { Partitions = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => options,
            };
        }

        return options;
    }
}
