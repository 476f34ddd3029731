using System.Text.Json;
using AlgoSignal.Domain.Alerts;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Alerts;

// Values inside a well-formed alert: NULs, lone surrogates, numbers an order cannot hold, alert ids, the template, secrets, long text.
public sealed partial class AlertParserTests
{
    [Theory]
    [InlineData("message", "\"message\":\"hi\\u0000there\"")]
    [InlineData("symbol", "\"symbol\":\"BTC\\u0000\"")]
    [InlineData("strategy", "\"strategy\":\"demo\\u0000\"")]
    [InlineData("alert_id", "\"alert_id\":\"a\\u0000\"")]
    [InlineData("extra.inner[1]", "\"extra\":{\"inner\":[\"ok\",\"x\\u0000\"]}")]
    public void Parse_Nul_IsRejectedNamingTheField(string field, string member)
    {
        var body = "{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\"," + member + "}";
        if (field is "symbol" or "strategy")
        {
            body = "{\"action\":\"buy\"," + member + (field == "symbol" ? ",\"strategy\":\"demo\"}" : ",\"symbol\":\"BTCUSDT\"}");
        }

        var result = Parse(body);
        result.IsValid.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe(field);
        error.Message.ShouldContain("NUL");
        result.RedactedJson.ShouldNotBeNull().ShouldNotContain("\\u0000");
    }

    [Theory]
    [InlineData("\"message\":\"\\ud800\"", "message")]
    [InlineData("\"message\":\"x\\udc00y\"", "message")]
    [InlineData("\"note\":{\"deep\":\"\\ud83d\"}", "note.deep")]
    public void Parse_LoneSurrogate_IsRejectedNamingTheField(string member, string field)
    {
        var result = Parse("{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\"," + member + "}");
        var error = result.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe(field);
        error.Message.ShouldContain("surrogate");
        result.RedactedJson.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_LoneSurrogateInAKey_IsRejected()
    {
        var result = Parse("{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\",\"\\ud800\":1}");
        result.Errors.ShouldHaveSingleItem().Message.ShouldContain("surrogate");
    }

    [Fact]
    public void Parse_PairedSurrogates_AreFine()
    {
        Parse("{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\",\"message\":\"rocket \\ud83d\\ude80\",\"alert_id\":\"\u00e9t\u00e9-\ud83d\ude80\"}").IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("quantity", "1e28")]
    [InlineData("quantity", "\"1e28\"")]
    [InlineData("price", "79228162514264337593543950335")]
    [InlineData("limit_price", "1000000000001")]
    [InlineData("stop_loss", "1e13")]
    [InlineData("position_size", "-1e20")]
    [InlineData("quantity", "0.0000000000001")]
    public void Parse_NumberBeyondWhatAnOrderHolds_NamesTheField(string field, string value)
    {
        var body = $$"""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","order_type":"stop_limit","limit_price":1,"stop_price":1,"{{field}}":{{value}}}""";
        body = body.Replace($"\"{field}\":1,", "", StringComparison.Ordinal);
        var error = Parse(body).Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe(field);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("1e-999")]
    [InlineData("123456789012345678901234567890123")]
    public void Parse_ExtraNumberThatCannotBeStored_IsRejected(string value)
    {
        var error = Parse("{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"BTCUSDT\",\"extra\":{\"n\":" + value + "}}").Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("extra.n");
    }

    [Fact]
    public void Parse_LargestAllowedQuantity_IsFine()
    {
        Parse("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","quantity":1000000000000,"price":0.000000000001}""").IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData("a\n[11:59:59 ERR] FORGED kill switch disabled")]
    [InlineData("a\rb")]
    [InlineData("tab\there")]
    [InlineData("esc\u001b[31m")]
    [InlineData("bidi\u202Eevil")]
    [InlineData("line\u2028sep")]
    public void Parse_AlertIdWithControlCharacters_IsRejected(string alertId)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["strategy"] = "demo", ["action"] = "buy", ["symbol"] = "BTCUSDT", ["alert_id"] = alertId });
        var error = Parse(body).Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("alert_id");
        error.Message.ShouldContain("printable");
    }

    [Fact]
    public void Parse_AlertIdLongerThan128_IsRejected()
    {
        Parse($$"""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","alert_id":"{{new string('a', 129)}}"}""").Errors.ShouldHaveSingleItem().Field.ShouldBe("alert_id");
    }

    [Fact]
    public void Parse_TheTemplateWithAnUnsubstitutedClose_NamesClose()
    {
        var template = File.ReadAllText(Path.Combine(RepositoryRoot(), "templates", "webhook_template.json"))
            .Replace("{{strategy.order.contracts}}", "1", StringComparison.Ordinal).Replace("{{strategy.position_size}}", "1", StringComparison.Ordinal);
        var message = Parse(template).Errors.ShouldHaveSingleItem().Message;
        message.ShouldContain("{{close}}");
        message.ShouldNotContain("{{ticker}}");
        message.ShouldNotContain("{{exchange}}");
    }

    [Fact]
    public void Parse_PlainTextBody_SaysItMustBeJsonAndShowsTheTemplate()
    {
        var error = Parse("BUY BTCUSDT").Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("body");
        error.Message.ShouldContain("must be JSON");
        error.Message.ShouldContain(JsonErrorExplainer.Template);
    }

    [Fact]
    public void Parse_NestedSecret_IsRedactedWhole()
    {
        var result = Parse("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","auth":{"pass":"hunter2"},"credentials":["hunter3"],"user_key":"k1"}""");
        result.IsValid.ShouldBeTrue();
        result.RedactedJson.ShouldNotBeNull();
        result.RedactedJson.ShouldNotContain("hunter");
        result.RedactedJson.ShouldNotContain("k1");
    }

    [Fact]
    public void Parse_LongValueEndingInAnEmoji_IsQuotedWithoutASplitPair()
    {
        var action = new string('x', 31) + "\U0001F680tail";
        var error = Parse($$"""{"strategy":"demo","action":"{{action}}","symbol":"BTCUSDT"}""").Errors.ShouldHaveSingleItem();
        StorableText.Problem(error.Message).ShouldBeNull();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AlgoSignal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("AlgoSignal.sln not found above the test output.");
    }
}
