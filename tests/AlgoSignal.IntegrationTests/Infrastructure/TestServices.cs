using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>
/// Where the real RabbitMQ and PostgreSQL are (infra/test.sh starts them). Every setting can be
/// pointed elsewhere by environment variables; an unreachable service fails the test with a message
/// that says what to start, never a skip.
/// </summary>
public static class TestServices
{
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=5432;Username=algosignal;Password=algosignal;Database=algosignal";

    public static string RabbitHost => Environment.GetEnvironmentVariable("RabbitMq__Host") ?? "127.0.0.1";

    public static int RabbitPort => int.TryParse(Environment.GetEnvironmentVariable("RabbitMq__Port"), out var port) ? port : 5672;

    public static string RabbitUser => Environment.GetEnvironmentVariable("RabbitMq__Username") ?? "guest";

    public static string RabbitPassword => Environment.GetEnvironmentVariable("RabbitMq__Password") ?? "guest";

    public static Uri RabbitManagement => new(Environment.GetEnvironmentVariable("ALGOSIGNAL_RABBIT_MANAGEMENT_URL") ?? $"http://{RabbitHost}:15672");

    public static async Task RequireAsync()
    {
        var pg = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
        await RequirePortAsync(pg.Host ?? "127.0.0.1", pg.Port, "PostgreSQL");
        await RequirePortAsync(RabbitHost, RabbitPort, "RabbitMQ");
        await RequirePortAsync(RabbitManagement.Host, RabbitManagement.Port, "RabbitMQ management (rabbitmq-plugins enable rabbitmq_management)");
    }

    /// <summary>A private database, migrated, for one fixture.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(PostgresConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                // An autovacuum worker in the young database is not ours to terminate (42501); it ends soon.
                await Task.Delay(500);
            }
        }
    }

    /// <summary>A private RabbitMQ virtual host, so fixtures never see each other's messages.</summary>
    public static async Task CreateVirtualHostAsync(string vhost)
    {
        using var http = ManagementClient();
        (await http.PutAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(RabbitUser)}", permissions)).EnsureSuccessStatusCode();
    }

    public static async Task DeleteVirtualHostAsync(string vhost)
    {
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}");
    }

    public static HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = RabbitManagement, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RabbitUser}:{RabbitPassword}")));
        return http;
    }

    private static async Task RequirePortAsync(string host, int port, string what)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{what} is not reachable at {host}:{port} ({ex.Message}). Run the suite with infra/test.sh, which installs and starts it, or point the environment variables at a running instance.", ex);
        }
    }
}
