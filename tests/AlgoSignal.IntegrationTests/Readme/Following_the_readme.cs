using AlgoSignal.IntegrationTests.Deployment;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Readme;

/// <summary>
/// The README's quick start, pasted into a fresh shell after the run script has written its
/// connection file: if the README drifts from the product, this fails. An AlgoSignal of its own, so
/// its <c>demo</c> strategy starts flat as after a first start.
/// </summary>
public sealed class Following_the_readme(AlgoSignalFixture fixture) : IClassFixture<AlgoSignalFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algosignal-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Should_send_the_sample_alert_and_show_it_filled()
    {
        var blocks = ReadmeBlocks.Runnable(await File.ReadAllTextAsync(RepositoryFiles.Path("README.md")));
        blocks.Count.ShouldBeGreaterThanOrEqualTo(3, "the quick start: source .local/env, send the sample alert, read it back");

        // What infra/run.sh does before its banner: wait for the worker's lanes, then write .local/env
        // (here pointing at this test's AlgoSignal).
        Directory.CreateDirectory(Path.Combine(_dir, ".local"));
        var environment = Starting_locally.Rabbit(fixture.VirtualHost);
        environment["Api__Keys__0"] = AlgoSignalFixture.ApiKey;
        environment["Webhook__HmacSecrets__0"] = AlgoSignalFixture.HmacSecret;
        environment["Seed__DemoWebhookToken"] = AlgoSignalFixture.DemoToken;
        var written = await Starting_locally.RunScriptAsync(
            $"wait_for_lanes 30 && write_local_env .local/env {Starting_locally.Quote(fixture.BaseAddress.ToString().TrimEnd('/'))}", environment, _dir);
        written.ExitCode.ShouldBe(0, written.Stderr);

        await using var shell = new BashSession(_dir);
        var outputs = new List<string>();
        foreach (var block in blocks)
        {
            outputs.Add(await shell.PasteAsync(block));
        }

        shell.Stderr.ShouldBeEmpty();
        var all = string.Join('\n', outputs);
        all.ShouldContain("\"status\":\"accepted\"", customMessage: all);
        all.ShouldContain("} 202", customMessage: all);

        var alertId = System.Text.RegularExpressions.Regex.Match(all, "\"alert_id\":\"([0-9a-f-]{36})\"").Groups[1].Value;
        alertId.ShouldNotBeEmpty(all);

        // A person reads the story a moment later; the last block is pasted again until the worker is done.
        string? Story(string output) => output.Split('\n').FirstOrDefault(l => l.Contains("\"orders\":[", StringComparison.Ordinal) && l.Contains(alertId, StringComparison.Ordinal));
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(20);
        var last = outputs[^1];
        while (Story(last)?.Contains("\"status\":\"filled\"", StringComparison.Ordinal) != true && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(250);
            last = await shell.PasteAsync(blocks[^1]);
        }

        var story = Story(last).ShouldNotBeNull(last);
        story.ShouldContain("\"status\":\"filled\"");
        story.ShouldContain("\"broker\":\"paper\"");
        last.Split('\n').ShouldContain(l => l.StartsWith('[') && l.Contains(alertId, StringComparison.Ordinal), "the list of the strategy's newest alerts");
        shell.Stderr.ShouldBeEmpty();
    }
}
