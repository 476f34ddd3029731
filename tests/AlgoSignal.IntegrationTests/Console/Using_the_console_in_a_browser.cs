using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>
/// Runs every browser scenario of the console (<c>src/AlgoSignal.Console/e2e/*.e2e.mjs</c>, one test case
/// each) with <c>node</c> against a real AlgoSignal: Debian's Chromium driven by <c>playwright-core</c>
/// from the console's own <c>node_modules</c>. Exit code 0 passes; otherwise the test shows what the
/// scenario printed. The console must be built (<c>infra/test.sh</c> does it before the .NET build):
/// without it these tests fail, they never skip.
/// </summary>
public sealed class Using_the_console_in_a_browser(BrowserEnvironment environment) : IClassFixture<BrowserEnvironment>
{
    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromSeconds(120);

    private const string Chromium = "/usr/bin/chromium";

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(BrowserEnvironment.ConsoleDirectory, "e2e");
        foreach (var file in (Directory.Exists(folder) ? Directory.GetFiles(folder, "*.e2e.mjs") : []).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(file!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Should_pass_the_scenario(string scenario)
    {
        File.Exists(Path.Combine(BrowserEnvironment.Dist, "index.html")).ShouldBeTrue(
            $"The console is not built ({BrowserEnvironment.Dist} has no index.html): run infra/test.sh, which builds it with npm before the .NET build.");
        File.Exists(Path.Combine(BrowserEnvironment.ConsoleDirectory, "node_modules", "playwright-core", "package.json")).ShouldBeTrue(
            $"playwright-core is not installed in {BrowserEnvironment.ConsoleDirectory}/node_modules: run infra/test.sh (npm ci).");
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: run infra/test.sh (apt-get install -y chromium).");
        Directory.CreateDirectory(BrowserEnvironment.Screenshots);

        var script = Path.Combine(BrowserEnvironment.ConsoleDirectory, "e2e", scenario);
        var run = await ProcessRun.RunAsync(
            "node", [script], environment.ScenarioEnvironment(), workingDirectory: BrowserEnvironment.ConsoleDirectory, timeout: ScenarioTimeout);
        run.ExitCode.ShouldBe(0, $"{scenario} failed (exit {run.ExitCode}).\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
    }
}
