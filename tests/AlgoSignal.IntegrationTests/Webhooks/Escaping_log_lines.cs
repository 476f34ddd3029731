using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

/// <summary>Text from outside can never write a log line of its own.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed partial class Escaping_log_lines(AlgoSignalFixture fixture)
{
    private const string Forged = "\n[11:59:59 ERR] FORGED kill switch disabled";

    [Fact]
    public async Task Should_refuse_an_alert_id_that_carries_a_line_break()
    {
        var (status, answer) = await fixture.PostSignedAsync(
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["strategy"] = "demo", ["action"] = "buy", ["symbol"] = "FORGE", ["alert_id"] = "a" + Forged }));
        status.ShouldBe(400);
        answer.GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe("alert_id");
    }

    [Fact]
    public async Task Should_keep_a_forged_line_inside_its_own_entry_in_the_text_log()
    {
        using var output = new StringWriter();
        await using var ingress = await fixture.StartIngressAsync(
            new Dictionary<string, string> { ["Logging:Format"] = "text" },
            builder => builder.AddAlgoSignalLogging(output));
        var logger = ingress.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AlgoSignal.Worker.Pipeline.AlertProcessor");

        // The worker's own line for a duplicate quotes the sender's alert_id in its reason.
        LogProcessed(logger, Guid.NewGuid(), "demo", "duplicate", $"alert_id \"x{Forged}\r\u001b[2K\u2028\" was already received.");
        logger.LogWarning("template text " + Forged);
        logger.LogWarning(new InvalidOperationException("boom" + Forged), "Failed {What}", "here");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldNotContain(l => l.StartsWith("[11:59:59 ERR]", StringComparison.Ordinal), output.ToString());
        lines.Count(l => l.Contains("FORGED", StringComparison.Ordinal)).ShouldBe(3, output.ToString());
        lines.ShouldAllBe(l => l.StartsWith('[') || l.StartsWith(TextLogFormatter.Indent, StringComparison.Ordinal), output.ToString());
        output.ToString().ShouldContain("\\n[11:59:59 ERR] FORGED");
        output.ToString().ShouldNotContain('\u001b');
        output.ToString().ShouldNotContain('\r');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} for {Strategy} ended {Status}. {Reason}")]
    private static partial void LogProcessed(ILogger logger, Guid alertId, string strategy, string status, string reason);
}
