using System.Text.RegularExpressions;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Templates;

/// <summary>
/// Every template users copy, with TradingView's placeholders substituted the way TradingView does
/// (numbers as plain decimals, text as text), is accepted by the ingress.
/// </summary>
[Collection(AlgoSignalCollection.Name)]
public sealed partial class Pasting_the_templates(AlgoSignalFixture fixture)
{
    private static readonly Dictionary<string, string> Substitutions = new(StringComparer.Ordinal)
    {
        ["{{ticker}}"] = "BTCUSDT",
        ["{{exchange}}"] = "BINANCE",
        ["{{close}}"] = "42000.5",
        ["{{open}}"] = "41900",
        ["{{high}}"] = "42100.25",
        ["{{low}}"] = "41850",
        ["{{volume}}"] = "123.456",
        ["{{interval}}"] = "15",
        ["{{time}}"] = "2025-01-01T00:00:00Z",
        ["{{timenow}}"] = "2025-01-01T00:15:03Z",
        ["{{strategy.order.action}}"] = "buy",
        ["{{strategy.order.contracts}}"] = "1",
        ["{{strategy.order.price}}"] = "42000.5",
        ["{{strategy.order.id}}"] = "Long",
        ["{{strategy.order.comment}}"] = "Long",
        ["{{strategy.position_size}}"] = "1",
        ["{{strategy.market_position}}"] = "long",
        ["{{strategy.prev_market_position}}"] = "flat",
        ["{{strategy.market_position_size}}"] = "1",
        ["{{strategy.prev_market_position_size}}"] = "0",
    };

    // What the indicator's Pine expressions evaluate to on the same bar.
    private static readonly Dictionary<string, string> PineValues = new(StringComparer.Ordinal)
    {
        ["syminfo.prefix"] = "BINANCE",
        ["syminfo.ticker"] = "BTCUSDT",
        ["str.tostring(close, format.mintick)"] = "42000.5",
        ["timeframe.period"] = "15",
        ["str.tostring(time)"] = "1735690503000",
    };

    public static TheoryData<string> JsonTemplates() =>
        [.. Directory.GetFiles(Path.Combine(Root(), "templates"), "*.json", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Root(), p)).Order()];

    [Theory]
    [MemberData(nameof(JsonTemplates))]
    public async Task Should_accept_the_json_template(string path)
    {
        var body = Substitute(await File.ReadAllTextAsync(Path.Combine(Root(), path)), path);
        var (status, answer) = await fixture.PostSignedAsync(body);
        status.ShouldBe(202, $"{path} → {body} → {answer}");
    }

    [Fact]
    public async Task Should_have_one_example_per_action()
    {
        var examples = Directory.GetFiles(Path.Combine(Root(), "templates", "examples"), "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        examples.ShouldBe(AlgoSignal.Domain.Alerts.AlertActions.All, ignoreOrder: true);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Should_accept_every_alert_message_of_the_pine_strategy_template()
    {
        var pine = await File.ReadAllTextAsync(Path.Combine(Root(), "pine_scripts", "strategy_template.pine"));
        pine.ShouldStartWith("//@version=6");
        var messages = PineMessage().Matches(pine).Select(m => m.Groups[1].Value).ToList();
        messages.Count.ShouldBe(2);
        foreach (var message in messages)
        {
            var body = Substitute(message, "strategy_template.pine");
            var (status, _, _) = await PostTradingViewAsync(body);
            status.ShouldBe(202, body);
        }
    }

    [Fact]
    public async Task Should_accept_every_alert_call_of_the_pine_indicator_template()
    {
        var pine = await File.ReadAllTextAsync(Path.Combine(Root(), "pine_scripts", "indicator_template.pine"));
        pine.ShouldStartWith("//@version=6");
        var calls = PineAlertCall().Matches(pine).Select(m => m.Groups[1].Value).ToList();
        calls.Count.ShouldBe(2);
        foreach (var call in calls)
        {
            var body = string.Concat(call.Split(" + ").Select(part => part.StartsWith('\'')
                ? part.Trim('\'')
                : PineValues.TryGetValue(part, out var value) ? value : throw new InvalidOperationException($"The test does not know the Pine expression {part}")));
            var (status, _, _) = await PostTradingViewAsync(body);
            status.ShouldBe(202, body);
        }
    }

    private async Task<(int, System.Text.Json.JsonElement, HttpResponseMessage)> PostTradingViewAsync(string body)
    {
        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Webhook:RateLimit:PerSourcePerMinute"] = "0" });
        return await ingress.PostAsync($"/webhook/tradingview/{AlgoSignalFixture.DemoToken}", body, sign: false);
    }

    private static string Substitute(string template, string source)
    {
        var text = template;
        foreach (var (placeholder, value) in Substitutions)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        var left = Placeholder().Match(text);
        left.Success.ShouldBeFalse($"{source} uses {left.Value}, which is not one of TradingView's placeholders known to this test");
        return text;
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlgoSignal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AlgoSignal.sln not found");
    }

    [GeneratedRegex(@"Message\s*=\s*'(.*)'\s*$", RegexOptions.Multiline)]
    private static partial Regex PineMessage();

    [GeneratedRegex(@"alert\((.*), alert\.freq_", RegexOptions.Multiline)]
    private static partial Regex PineAlertCall();

    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex Placeholder();
}
