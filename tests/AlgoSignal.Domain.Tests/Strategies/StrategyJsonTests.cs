using System.Text.Json;
using AlgoSignal.Domain.Strategies;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Strategies;

public sealed class StrategyJsonTests
{
    private const string Whole = """
        {"name":"s","enabled":true,"mode":"paper","routes":[{"broker":"paper","account":"a"}],"symbols":[],"timeframes":[],
         "sizing":{"mode":"fixed","quantity":1},"risk_multiplier":1,"max_positions":5,"max_position_quantity":null,
         "max_order_notional":null,"max_daily_loss":null,"max_orders_per_minute":30,"trading_window":null,
         "max_signal_age_seconds":60,"allow_short":true,"pyramiding":1}
        """;

    private static List<string> Fields(string json, bool whole)
    {
        using var document = JsonDocument.Parse(json);
        return [.. StrategyJson.Check(document.RootElement, whole).Select(e => e.Field)];
    }

    [Fact]
    public void Check_WholeDefinition_HasNoProblem() => Fields(Whole, whole: true).ShouldBeEmpty();

    [Fact]
    public void Check_ReplacementMissingFields_NamesEach() =>
        Fields("""{"name":"s","trading_window":null}""", whole: true).ShouldBe(
            ["enabled", "mode", "routes", "symbols", "timeframes", "sizing", "risk_multiplier", "max_positions", "max_position_quantity",
             "max_order_notional", "max_daily_loss", "max_orders_per_minute", "max_signal_age_seconds", "allow_short", "pyramiding"],
            ignoreOrder: true);

    [Fact]
    public void Check_CreationMissingFields_TakesDefaults() => Fields("""{"name":"s"}""", whole: false).ShouldBeEmpty();

    [Fact]
    public void Check_ReadOnlyFields_AreIgnored() =>
        Fields("""{"name":"s","has_webhook_token":true,"created_at":"2026-01-01T00:00:00Z"}""", whole: false).ShouldBeEmpty();

    [Theory]
    [InlineData("""{"name":"s","trading_window":{"start":"09:30","end":"16:00","days":["mon"]}}""", "trading_window.timezone")]
    [InlineData("""{"name":"s","routes":[{"broker":"paper","account":"a"},null]}""", "routes[1]")]
    [InlineData("""{"name":"s","sizing":{"mode":"fixed","quantity":1e40}}""", "sizing.quantity")]
    [InlineData("""{"name":"s","max_positions":2147483648}""", "max_positions")]
    [InlineData("""{"name":"s\u0000"}""", "name")]
    [InlineData("""{"name":"\ud800"}""", "name")]
    [InlineData("""{"name":"s","name":"t"}""", "name")]
    [InlineData("""{"name":"s","symbols":["a",7]}""", "symbols[1]")]
    public void Check_BadField_NamesIt(string json, string field) => Fields(json, whole: false).ShouldContain(field);

    [Fact]
    public void Problem_PairedSurrogates_AreStorable() => StoredText.Problem("ok \U0001F600").ShouldBeNull();

    // Built from code points: a test runner's own text encoding would replace a lone surrogate in the data.
    [Theory]
    [InlineData(0x0000)]
    [InlineData(0xD800)]
    [InlineData(0xDC00)]
    public void Problem_NulOrLoneSurrogate_IsNamed(int codePoint)
    {
        StoredText.Problem($"a{(char)codePoint}b").ShouldNotBeNull();
        StoredText.Problem($"ab{(char)codePoint}").ShouldNotBeNull();
    }
}
