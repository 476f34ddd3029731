using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AlgoSignal.Domain.Security;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Cli;

/// <summary>The <c>algosignal</c> command line run as a user runs it: a process, files, standard input, exit codes.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Running_the_command_line(AlgoSignalFixture fixture) : IDisposable
{
    private const string Alert = """{"strategy":"demo","action":"buy","symbol":"BINANCE:BTCUSDT","price":42000,"quantity":1}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("algosignal-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<ProcessRun> RunAsync(Dictionary<string, string>? environment, string? stdin, params string[] args) =>
        ProcessRun.RunAsync("dotnet", ["exec", RepositoryFiles.CliDll, .. args], environment, stdin, _dir);

    private Dictionary<string, string> Connected() => new()
    {
        ["ALGOSIGNAL_URL"] = fixture.BaseAddress.ToString(),
        ["ALGOSIGNAL_API_KEY"] = AlgoSignalFixture.ApiKey,
        ["ALGOSIGNAL_HMAC_SECRET"] = AlgoSignalFixture.HmacSecret,
    };

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("one-line.json", """{"strategy":"demo","action":"buy","symbol":"BTCUSDT"}""")]
    [InlineData("multi-line.json", "{\n  \"strategy\": \"demo\",\n  \"action\": \"buy\",\n  \"symbol\": \"BTCUSDT\"\n}\n")]
    public async Task Should_validate_a_body_file_of_one_or_many_lines(string name, string text)
    {
        File(name, text);
        var run = await RunAsync(null, null, "validate", "--body", "@" + name);
        run.Stderr.ShouldBeEmpty();
        run.Stdout.Trim().ShouldBe("valid");
        run.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Should_list_the_problems_of_a_body_file()
    {
        File("bad.json", "{\n  \"strategy\": \"demo\",\n  \"action\": \"hold\"\n}\n");
        var run = await RunAsync(null, null, "validate", "--body", "@bad.json");
        run.Stdout.ShouldContain("action:");
        run.Stdout.ShouldContain("symbol:");
        run.ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task Should_read_the_body_from_standard_input()
    {
        var run = await RunAsync(null, "{\n \"strategy\": \"demo\",\n \"action\": \"sell\",\n \"symbol\": \"ETHUSDT\"\n}\n", "validate", "--body", "-");
        run.Stdout.Trim().ShouldBe("valid");
        run.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Should_sign_a_body_from_standard_input_exactly_as_read()
    {
        var body = "{\"strategy\":\"demo\",\n\"action\":\"buy\",\"symbol\":\"BTCUSDT\"}\n";
        var run = await RunAsync(new() { ["ALGOSIGNAL_HMAC_SECRET"] = AlgoSignalFixture.HmacSecret }, body, "sign", "--body", "-");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var header = run.Stdout.Trim();
        header.ShouldStartWith(WebhookSignature.HeaderName + ": t=");
        var t = long.Parse(header.Split("t=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        header.ShouldEndWith("v1=" + WebhookSignature.Compute(AlgoSignalFixture.HmacSecret, t, System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task Should_send_a_file_with_the_connection_from_the_environment_and_show_the_alert()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("cli");
        File("message.json", "{\n  \"strategy\": \"" + strategy + "\",\n  \"action\": \"buy\",\n  \"symbol\": \"BINANCE:BTCUSDT\",\n  \"price\": 42000,\n  \"quantity\": 1,\n  \"alert_id\": \"cli-" + Guid.NewGuid().ToString("N") + "\"\n}\n");
        var sent = await RunAsync(Connected(), null, "send", "--body", "@message.json");
        sent.ExitCode.ShouldBe(0, sent.Stdout + sent.Stderr);
        sent.Stdout.ShouldStartWith("202 ");
        var alertId = JsonDocument.Parse(sent.Stdout[4..]).RootElement.GetProperty("alert_id").GetGuid();

        (await fixture.WaitForFinalAsync(alertId)).GetProperty("status").GetString().ShouldBe("filled");
        var shown = await RunAsync(Connected(), null, "alerts", "show", alertId.ToString());
        shown.ExitCode.ShouldBe(0, shown.Stderr);
        JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("alert_id").GetGuid().ShouldBe(alertId);
    }

    [Fact]
    public async Task Should_say_in_one_line_that_nothing_answers_at_the_url()
    {
        var run = await RunAsync(Connected(), null, "send", "--body", Alert, "--url", $"http://127.0.0.1:{ClosedPort()}");
        ShouldBeOneLineError(run, 1, "connection refused");
        run.Stderr.ShouldContain("infra/run.sh");
    }

    [Fact]
    public async Task Should_say_in_one_line_that_no_secret_was_given()
    {
        var run = await RunAsync(new() { ["ALGOSIGNAL_URL"] = fixture.BaseAddress.ToString() }, null, "send", "--body", Alert);
        ShouldBeOneLineError(run, 2, "ALGOSIGNAL_HMAC_SECRET");
        run.Stderr.ShouldContain("source .local/env");
    }

    [Fact]
    public async Task Should_refuse_to_sign_with_an_empty_secret()
    {
        var run = await RunAsync(new() { ["ALGOSIGNAL_HMAC_SECRET"] = "" }, null, "sign", "--body", Alert);
        ShouldBeOneLineError(run, 2, "empty");
        run.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_say_in_one_line_that_the_url_is_not_one()
    {
        var run = await RunAsync(Connected(), null, "send", "--body", Alert, "--url", "localhost:8080");
        ShouldBeOneLineError(run, 2, "is not an http(s) URL");
    }

    [Fact]
    public async Task Should_say_in_one_line_that_the_server_did_not_answer_in_time()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var run = await RunAsync(Connected(), null, "send", "--body", Alert, "--url", url, "--timeout", "1");
        ShouldBeOneLineError(run, 1, "did not answer within 1 s");
    }

    [Fact]
    public async Task Should_say_in_one_line_that_the_body_file_is_missing()
    {
        var run = await RunAsync(null, null, "validate", "--body", "@missing.json");
        ShouldBeOneLineError(run, 2, "missing.json");
    }

    [Fact]
    public async Task Should_say_in_one_line_that_the_api_key_is_missing()
    {
        var run = await RunAsync(new() { ["ALGOSIGNAL_URL"] = fixture.BaseAddress.ToString() }, null, "alerts", "show", Guid.NewGuid().ToString());
        ShouldBeOneLineError(run, 2, "ALGOSIGNAL_API_KEY");
    }

    private static void ShouldBeOneLineError(ProcessRun run, int exitCode, string mention)
    {
        run.ExitCode.ShouldBe(exitCode, run.Stdout + run.Stderr);
        run.Stderr.ShouldNotContain("Unhandled exception");
        run.Stderr.ShouldNotContain("   at ");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.Stderr);
        lines[0].ShouldStartWith("algosignal: ");
        lines[0].ShouldContain(mention);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
