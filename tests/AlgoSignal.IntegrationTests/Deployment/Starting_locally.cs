using System.Text.RegularExpressions;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Deployment;

/// <summary>The pieces of <c>infra/run.sh</c> a user meets: the connection file, the banner, the wait for the lanes.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed partial class Starting_locally(AlgoSignalFixture fixture) : IDisposable
{
    // Characters a shell would otherwise interpret: the file must quote them.
    private const string ApiKey = "key-$(touch pwned)-'quoted' \"double\" `tick`-0123456789";
    private const string Secret = "secret-with spaces-and-$HOME-0123456789";
    private const string Token = "token-0123456789abcdef0123456789abcdef";

    private readonly string _dir = Directory.CreateTempSubdirectory("algosignal-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs a few lines of bash with the run script's libraries loaded.</summary>
    public static Task<ProcessRun> RunScriptAsync(string lines, IDictionary<string, string> environment, string workingDirectory) =>
        ProcessRun.RunAsync(
            "bash",
            ["-c", $"source {Quote(RepositoryFiles.Path("infra", "lib.sh"))}; source {Quote(RepositoryFiles.Path("infra", "local.sh"))}; {lines}"],
            environment,
            workingDirectory: workingDirectory);

    private static Dictionary<string, string> Secrets() => new()
    {
        ["Api__Keys__0"] = ApiKey,
        ["Webhook__HmacSecrets__0"] = Secret,
        ["Seed__DemoWebhookToken"] = Token,
    };

    [Fact]
    public async Task Should_write_a_connection_file_only_the_user_can_read_that_a_shell_can_source()
    {
        var file = Path.Combine(_dir, "env");
        var written = await RunScriptAsync($"write_local_env {Quote(file)} http://127.0.0.1:8080", Secrets(), _dir);
        written.ExitCode.ShouldBe(0, written.Stderr);
        var mode = OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("the run script is for Linux") : File.GetUnixFileMode(file);
        mode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var sourced = await ProcessRun.RunAsync(
            "bash", ["-c", $"source {Quote(file)}; printf '%s\\n' \"$ALGOSIGNAL_URL\" \"$ALGOSIGNAL_API_KEY\" \"$ALGOSIGNAL_HMAC_SECRET\" \"$ALGOSIGNAL_DEMO_WEBHOOK_URL\""],
            workingDirectory: _dir);
        sourced.ExitCode.ShouldBe(0, sourced.Stderr);
        sourced.Stdout.Split('\n')[..4].ShouldBe(["http://127.0.0.1:8080", ApiKey, Secret, $"http://127.0.0.1:8080/webhook/tradingview/{Token}"]);
        File.Exists(Path.Combine(_dir, "pwned")).ShouldBeFalse();
    }

    [Fact]
    public async Task Should_print_where_the_secrets_are_and_never_their_values()
    {
        var banner = await RunScriptAsync("print_banner http://127.0.0.1:8080 .local/env src/AlgoSignal.Cli/bin/Release/net10.0/algosignal.dll", Secrets(), _dir);
        banner.ExitCode.ShouldBe(0, banner.Stderr);
        banner.Stdout.ShouldContain("source .local/env");
        banner.Stdout.ShouldContain("http://127.0.0.1:8080");
        foreach (var secret in new[] { ApiKey, Secret, Token })
        {
            banner.Stdout.ShouldNotContain(secret);
        }

        // run.sh itself prints through the banner only: no other line of it shows a secret's value.
        var script = await File.ReadAllTextAsync(RepositoryFiles.Path("infra", "run.sh"));
        script.ShouldContain("print_banner ");
        script.ShouldContain("write_local_env ");
        var leaking = script.Split('\n').Where(l => SecretReference().IsMatch(l) && !l.TrimStart().StartsWith("export ", StringComparison.Ordinal)).ToList();
        leaking.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_wait_for_the_lanes_in_the_configured_virtual_host()
    {
        // The fixture's worker declared its lanes in the fixture's own virtual host, not in "/".
        var found = await RunScriptAsync("wait_for_lanes 10", Rabbit(fixture.VirtualHost), _dir);
        found.ExitCode.ShouldBe(0, found.Stderr);

        var started = TimeProvider.System.GetUtcNow();
        var missing = await RunScriptAsync("wait_for_lanes 2", Rabbit("algosignal-no-such-vhost-" + Guid.NewGuid().ToString("N")[..8]), _dir);
        missing.ExitCode.ShouldNotBe(0);
        (TimeProvider.System.GetUtcNow() - started).ShouldBeGreaterThan(TimeSpan.FromSeconds(1.5));
    }

    /// <summary>The settings run.sh's lane wait reads, for a virtual host of the local RabbitMQ.</summary>
    public static Dictionary<string, string> Rabbit(string virtualHost) => new()
    {
        ["RabbitMq__Host"] = TestServices.RabbitManagement.Host,
        ["ALGOSIGNAL_RABBIT_MANAGEMENT_PORT"] = TestServices.RabbitManagement.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__Username"] = TestServices.RabbitUser,
        ["RabbitMq__Password"] = TestServices.RabbitPassword,
        ["RabbitMq__VirtualHost"] = virtualHost,
    };

    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\$\{?(Api__Keys__0|Webhook__HmacSecrets__0|Seed__DemoWebhookToken|ALGOSIGNAL_API_KEY|ALGOSIGNAL_HMAC_SECRET|ALGOSIGNAL_DEMO_TOKEN)\b")]
    private static partial Regex SecretReference();
}
