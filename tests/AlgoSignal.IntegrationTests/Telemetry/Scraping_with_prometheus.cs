using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// The real Prometheus server scrapes a running AlgoSignal's ingress and worker every second, and the
/// series read back through Prometheus's HTTP API show the alert that was sent.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Scraping_with_prometheus(AlgoSignalFixture fixture) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("algosignal-prometheus-").FullName;
    private Process? _prometheus;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_prometheus is { HasExited: false })
        {
            _prometheus.Kill();
            await _prometheus.WaitForExitAsync();
        }

        _prometheus?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Should_read_the_scraped_series_back_through_the_query_api()
    {
        var binary = Installed("prometheus");

        var worker = fixture.Workers[0].Services.GetRequiredService<WorkerEndpoint>().Addresses.ShouldHaveSingleItem();
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(_directory, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: algosignal-ingress
                static_configs:
                  - targets: ["{fixture.BaseAddress.Authority}"]
              - job_name: algosignal-worker
                static_configs:
                  - targets: ["{worker.Authority}"]
            """);
        var info = new ProcessStartInfo(binary,
        [
            $"--config.file={Path.Combine(_directory, "prometheus.yml")}",
            $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        _prometheus = Process.Start(info)!;
        _prometheus.OutputDataReceived += (_, _) => { };
        _prometheus.ErrorDataReceived += (_, _) => { };
        _prometheus.BeginOutputReadLine();
        _prometheus.BeginErrorReadLine();

        var (strategy, _) = await fixture.CreateStrategyAsync("prom");
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"BINANCE:PROMX","price":10,"quantity":1}""");
        status.ShouldBe(202);
        (await fixture.WaitForFinalAsync(body.GetProperty("alert_id").GetGuid())).GetProperty("status").GetString().ShouldBe("filled");

        using var prometheus = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        (await QueryAsync(prometheus, "up{job=\"algosignal-ingress\"}")).ShouldBe(1);
        (await QueryAsync(prometheus, "up{job=\"algosignal-worker\"}")).ShouldBe(1);
        (await QueryAsync(prometheus, "sum(algosignal_webhook_requests_total{job=\"algosignal-ingress\",route=\"signed\",status=\"202\"})")).ShouldBeGreaterThanOrEqualTo(1);
        (await QueryAsync(prometheus, "sum(algosignal_alerts_final_total{job=\"algosignal-worker\",status=\"filled\"})")).ShouldBeGreaterThanOrEqualTo(1);
        (await QueryAsync(prometheus, "sum(algosignal_alert_stage_seconds_count{job=\"algosignal-worker\",stage=\"decision\"})")).ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Should_fire_the_alerting_rules_on_the_exported_series()
    {
        // infra/prometheus/alerts_test.yml feeds the rules series named as AlgoSignal exports them.
        var run = await ProcessRun.RunAsync(Installed("promtool"), ["test", "rules", RepositoryFiles.Path("infra", "prometheus", "alerts_test.yml")]);
        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        run.Stdout.ShouldContain("SUCCESS");
    }

    /// <summary>A program of the Debian package <c>prometheus</c>; its absence fails the test, saying how to install it.</summary>
    private static string Installed(string program)
    {
        var path = new[] { "/usr/bin", "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        return path.ShouldNotBeNull($"{program} is not installed: run infra/test.sh (it installs the Debian package prometheus) or apt-get install prometheus.");
    }

    /// <summary>Asks until the query has a sample (the first scrapes take a moment), answering its value.</summary>
    private async Task<double> QueryAsync(HttpClient prometheus, string query)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        var last = "";
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            _prometheus!.HasExited.ShouldBeFalse($"Prometheus exited with {(_prometheus.HasExited ? _prometheus.ExitCode : 0)}");
            try
            {
                var answer = await prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
                last = answer.ToString();
                var result = answer.GetProperty("data").GetProperty("result");
                if (answer.GetProperty("status").GetString() == "success" && result.GetArrayLength() > 0
                    && double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) is var value and > 0)
                {
                    return value;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Prometheus had no sample for {query} within 30 s; last answer: {last}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
