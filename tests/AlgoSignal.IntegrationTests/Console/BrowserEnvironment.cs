using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.IntegrationTests.MarketData;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>
/// A real AlgoSignal for the console's browser scenarios: ingress and worker on real ports against
/// RabbitMQ and PostgreSQL, serving the built console from <c>src/AlgoSignal.Console/dist</c>, with a
/// paper strategy of its own and market data from the fake TradingView (so a chart has bars).
/// </summary>
public sealed class BrowserEnvironment : IAsyncLifetime
{
    /// <summary>A symbol the fake TradingView has bars for.</summary>
    public const string Symbol = "BINANCE:BTCUSDT";

    private readonly string _datasets = Path.Combine(Path.GetTempPath(), "algosignal-e2e-datasets-" + Guid.NewGuid().ToString("N")[..8]);
    private FakeTradingView? _tradingView;

    public AlgoSignalFixture AlgoSignal { get; private set; } = null!;

    public string Strategy { get; private set; } = "";

    public static string ConsoleDirectory => RepositoryFiles.Path("src", "AlgoSignal.Console");

    public static string Dist => Path.Combine(ConsoleDirectory, "dist");

    public static string Screenshots => RepositoryFiles.Path("artifacts", "console");

    public async Task InitializeAsync()
    {
        _tradingView = await FakeTradingView.StartAsync();
        var settings = _tradingView.Settings();
        settings["Console:Root"] = Dist;
        settings["MarketData:Cache:DatasetsPath"] = _datasets;
        AlgoSignal = new AlgoSignalFixture(workers: 1, settings);
        await AlgoSignal.InitializeAsync();
        (Strategy, _) = await AlgoSignal.CreateStrategyAsync("e2e");
    }

    public async Task DisposeAsync()
    {
        if (AlgoSignal is not null)
        {
            await AlgoSignal.DisposeAsync();
        }

        if (_tradingView is not null)
        {
            await _tradingView.DisposeAsync();
        }

        if (Directory.Exists(_datasets))
        {
            Directory.Delete(_datasets, recursive: true);
        }
    }

    /// <summary>What every scenario is told (README, "Console": end-to-end scenarios).</summary>
    public Dictionary<string, string> ScenarioEnvironment() => new()
    {
        ["ALGOSIGNAL_URL"] = AlgoSignal.BaseAddress.ToString().TrimEnd('/'),
        ["ALGOSIGNAL_API_KEY"] = AlgoSignalFixture.ApiKey,
        ["ALGOSIGNAL_STRATEGY"] = Strategy,
        ["ALGOSIGNAL_WEBHOOK_URL"] = new Uri(AlgoSignal.BaseAddress, "/webhook").ToString(),
        ["ALGOSIGNAL_HMAC_SECRET"] = AlgoSignalFixture.HmacSecret,
        ["ALGOSIGNAL_SYMBOL"] = Symbol,
        ["ALGOSIGNAL_SCREENSHOTS"] = Screenshots,
        ["CHROMIUM_PATH"] = "/usr/bin/chromium",
    };
}
