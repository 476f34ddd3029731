using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain;
using AlgoSignal.Domain.Strategies;
using Npgsql;

namespace AlgoSignal.Bench;

/// <summary>
/// A private AlgoSignal for the run: its own database and RabbitMQ virtual host, migrated by the real
/// migrate step, the Release builds of the worker and the ingress as separate processes.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string Database = "algosignal_bench";
    public const string VirtualHost = "algosignal-bench";

    private readonly List<Process> _processes = [];

    public string ConnectionString { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1");

    public Process Ingress => _processes[1];

    public Process Worker => _processes[0];

    public static string RabbitHost => Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1";

    public static int RabbitPort => int.TryParse(Environment.GetEnvironmentVariable("RabbitMq__Port"), out var p) ? p : 5672;

    public static string RabbitUser => Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "guest";

    public static string RabbitPassword => Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "guest";

    public static string AdminConnectionString => Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Username=algosignal;Password=algosignal;Database=algosignal";

    public static async Task<BenchEnvironment> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var environment = new BenchEnvironment();
        var root = FindRoot();
        environment.ConnectionString = await RecreateDatabaseAsync(cancellationToken);
        await RecreateVirtualHostAsync(cancellationToken);

        var port = FreePort();
        environment.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = environment.ConnectionString,
            ["RabbitMq__Host"] = RabbitHost,
            ["RabbitMq__Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = VirtualHost,
            ["RabbitMq__Username"] = RabbitUser,
            ["RabbitMq__Password"] = RabbitPassword,
            ["Api__Keys__0"] = options.ApiKey,
            ["Webhook__HmacSecrets__0"] = options.HmacSecret,
            ["Webhook__RateLimit__PerSourcePerMinute"] = "0",
            ["Webhook__RateLimit__PerStrategyPerMinute"] = "0",
            ["ASPNETCORE_URLS"] = environment.BaseAddress.ToString().TrimEnd('/'),
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["MarketData__Cache__ExportDatasets"] = "false",
            ["DOTNET_gcServer"] = "0",
            ["RabbitMq__AlertPartitions"] = options.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var worker = Path.Combine(root, "src/AlgoSignal.Worker/bin/Release/net10.0/AlgoSignal.Worker.dll");
        var ingress = Path.Combine(root, "src/AlgoSignal.Ingress/bin/Release/net10.0/AlgoSignal.Ingress.dll");
        using (var migrate = Start(worker, "migrate", settings))
        {
            await migrate.WaitForExitAsync(cancellationToken);
            if (migrate.ExitCode != 0)
            {
                throw new InvalidOperationException("migrate failed for the bench database");
            }
        }

        await CreateStrategyAsync(environment.ConnectionString, options.Strategy, cancellationToken);
        environment._processes.Add(Start(worker, "", settings));
        environment._processes.Add(Start(ingress, "", settings));
        await environment.WaitReadyAsync(cancellationToken);
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var management = ManagementClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                var ready = await http.GetAsync("/health/ready", cancellationToken);
                var lanes = await management.GetAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/alert-received-0", cancellationToken);
                if (ready.IsSuccessStatusCode && lanes.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (_processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("A process exited during start; run it by hand to see why.");
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException("AlgoSignal did not become ready within 90 s.");
    }

    private static Process Start(string dll, string arguments, Dictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;

        // Drain the output so a chatty process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.Contains("\"Level\":\"Error\"", StringComparison.Ordinal))
            {
                Console.Error.WriteLine(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> RecreateDatabaseAsync(CancellationToken cancellationToken)
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Database, MaxPoolSize = 100 }.ConnectionString;
    }

    private static async Task RecreateVirtualHostAsync(CancellationToken cancellationToken)
    {
        using var management = ManagementClient();
        await management.DeleteAsync($"api/vhosts/{VirtualHost}", cancellationToken);
        (await management.PutAsync($"api/vhosts/{VirtualHost}", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken)).EnsureSuccessStatusCode();
        (await management.PutAsync($"api/permissions/{VirtualHost}/{RabbitUser}", new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"), cancellationToken)).EnsureSuccessStatusCode();
    }

    private static async Task CreateStrategyAsync(string connectionString, string name, CancellationToken cancellationToken)
    {
        var definition = new StrategyDefinition
        {
            Name = name,
            Routes = [new StrategyRoute("paper", "bench-paper")],
            MaxOrdersPerMinute = 0,
            MaxPositions = 100_000,
            Pyramiding = 1_000_000,
            MaxSignalAgeSeconds = 0,
        };
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO strategies (name, enabled, mode, definition, created_at, updated_at) VALUES ($1, true, 'paper', $2::jsonb, now(), now())", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = name });
        insert.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(definition, JsonDefaults.SnakeCase) });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static HttpClient ManagementClient()
    {
        var host = Environment.GetEnvironmentVariable("ALGOSIGNAL_RABBIT_MANAGEMENT_URL") ?? $"http://{RabbitHost}:15672";
        var http = new HttpClient { BaseAddress = new Uri(host.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RabbitUser}:{RabbitPassword}")));
        return http;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlgoSignal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from the repository (bench/run.sh).");
    }
}
