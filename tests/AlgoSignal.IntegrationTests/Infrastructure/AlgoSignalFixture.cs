using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.Security;
using AlgoSignal.Ingress;
using AlgoSignal.Persistence;
using AlgoSignal.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>
/// One real AlgoSignal: a private PostgreSQL database and RabbitMQ virtual host, migrated with the
/// real migration step, the real worker host and the real ingress on Kestrel at a free port.
/// </summary>
public sealed class AlgoSignalFixture : IAsyncLifetime
{
    public const string ApiKey = "test-api-key-0123456789abcdef";
    public const string HmacSecret = "test-hmac-secret-0123456789abcdef";
    public const string DemoToken = "demo-token-0123456789abcdef0123";

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly int _workerCount;
    private readonly Dictionary<string, string> _extraSettings;
    private readonly List<IHost> _workers = [];
    private WebApplication? _ingress;

    public AlgoSignalFixture()
        : this(1, null)
    {
    }

    /// <summary>An environment of its own: <paramref name="workers"/> worker hosts on the same queues.</summary>
    internal AlgoSignalFixture(int workers, IDictionary<string, string>? settings)
    {
        _workerCount = workers;
        _extraSettings = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
    }

    public IReadOnlyList<IHost> Workers => _workers;

    /// <summary>The services of the fixture's own ingress (started by <see cref="InitializeAsync"/>).</summary>
    public IServiceProvider IngressServices => _ingress?.Services ?? throw new InvalidOperationException("The fixture is not started.");

    public string DatabaseName => $"algosignal_test_{_suffix}";

    public string VirtualHost => $"algosignal-test-{_suffix}";

    public string ConnectionString { get; private set; } = "";

    public HttpClient Http { get; private set; } = new();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public async Task InitializeAsync()
    {
        await TestServices.RequireAsync();
        ConnectionString = await TestServices.CreateDatabaseAsync(DatabaseName);
        await TestServices.CreateVirtualHostAsync(VirtualHost);
        await new MigrationRunner(ConnectionString, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        await using (var db = CreateDbContext())
        {
            await StrategySeeder.EnsureDemoAsync(db, TimeProvider.System, DemoToken, CancellationToken.None);
        }

        var args = Settings().Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        for (var i = 0; i < _workerCount; i++)
        {
            var worker = WorkerHost.CreateBuilder(args).Build();
            await worker.StartAsync();
            _workers.Add(worker);
        }

        var builder = IngressApp.CreateBuilder([.. args, "--urls=http://127.0.0.1:0"]);
        _ingress = IngressApp.Build(builder);
        await _ingress.StartAsync();
        BaseAddress = LocalServer.AddressOf(_ingress);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_ingress is not null)
        {
            await _ingress.StopAsync();
            await _ingress.DisposeAsync();
        }

        foreach (var worker in _workers)
        {
            await worker.StopAsync();
            worker.Dispose();
        }

        await TestServices.DeleteVirtualHostAsync(VirtualHost);
        await TestServices.DropDatabaseAsync(DatabaseName);
    }

    public Dictionary<string, string> Settings()
    {
        var settings = BaseSettings();
        foreach (var (key, value) in _extraSettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    private Dictionary<string, string> BaseSettings() => new()
    {
        ["ConnectionStrings:Postgres"] = ConnectionString,
        ["RabbitMq:Host"] = TestServices.RabbitHost,
        ["RabbitMq:Port"] = TestServices.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = VirtualHost,
        ["RabbitMq:Username"] = TestServices.RabbitUser,
        ["RabbitMq:Password"] = TestServices.RabbitPassword,
        ["Api:Keys:0"] = ApiKey,
        ["Webhook:HmacSecrets:0"] = HmacSecret,
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Logging:Format"] = "text",

        // Several workers share a process here: each takes a free port for its metrics and health.
        ["Worker:Urls"] = "http://127.0.0.1:0",

        // The paper broker would follow its symbols' live feeds from TradingView: a test that wants it
        // turns it on with a local source (the mock provider or a fake).
        ["Brokers:Paper:FollowMarket"] = "false",
    };

    /// <summary>A paper strategy of the test's own, with a fresh TradingView token.</summary>
    public async Task<(string Name, string Token)> CreateStrategyAsync(string prefix = "t", Func<AlgoSignal.Domain.Strategies.StrategyDefinition, AlgoSignal.Domain.Strategies.StrategyDefinition>? configure = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..24];
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var db = CreateDbContext();
        var now = TimeProvider.System.GetUtcNow();
        db.Strategies.Add(new AlgoSignal.Persistence.Entities.StrategyEntity
        {
            Name = name,
            Enabled = true,
            Mode = "paper",
            Definition = JsonSerializer.Serialize(
                (configure ?? (d => d))(new AlgoSignal.Domain.Strategies.StrategyDefinition { Name = name, Routes = [new("paper", "acct-" + name)] }),
                AlgoSignal.Domain.JsonDefaults.SnakeCase),
            WebhookTokenHash = StrategySeeder.HashToken(token),
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync();
        return (name, token);
    }

    public Task<IngressInstance> StartIngressAsync(IDictionary<string, string>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = Settings();
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return IngressInstance.StartAsync(settings, configure);
    }

    /// <summary>A plain RabbitMQ client on this environment's virtual host, as a non-.NET service would connect.</summary>
    public RabbitMQ.Client.ConnectionFactory RabbitConnectionFactory() => new()
    {
        HostName = TestServices.RabbitHost,
        Port = TestServices.RabbitPort,
        VirtualHost = VirtualHost,
        UserName = TestServices.RabbitUser,
        Password = TestServices.RabbitPassword,
    };

    public AlgoSignalDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<AlgoSignalDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>POSTs a body to <c>/webhook</c>, signed now with the fixture's secret unless a header is given.</summary>
    public async Task<(int Status, JsonElement Body)> PostSignedAsync(string body, string? signature = null, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.Add(WebhookSignature.HeaderName, signature ?? WebhookSignature.Header(HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), bytes));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    /// <summary>POSTs a body to the fixture's own TradingView route; returns the status.</summary>
    public async Task<int> PostTradingViewAsync(string token, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync($"/webhook/tradingview/{token}", content);
        return (int)response.StatusCode;
    }

    /// <summary>
    /// Polls until the alert is settled: final, and for a live broker past <c>ordered</c> (its fill or
    /// refusal comes from the broker poller) — or the wait ends, answering the last state seen.
    /// </summary>
    public async Task<JsonElement> WaitForSettledAsync(Guid alertId, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement story;
        do
        {
            story = await WaitForFinalAsync(alertId, timeout);
            await Task.Delay(100);
        }
        while (story.GetProperty("status").GetString() == "ordered" && TimeProvider.System.GetUtcNow() < deadline);

        return story;
    }

    /// <summary>Polls the alert API until the alert leaves <c>received</c> (or the wait ends).</summary>
    public async Task<JsonElement> WaitForFinalAsync(Guid alertId, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            using var response = await Http.GetAsync($"/api/v1/alerts/{alertId}");
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (last.GetProperty("status").GetString() != "received")
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Alert {alertId} did not reach a final state in time; last answer: {last}");
    }
}
