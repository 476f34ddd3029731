using System.Text;
using AlgoSignal.Domain.Alerts;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Alerts;

public sealed partial class AlertParserTests
{
    private static AlertParseResult Parse(string body, bool requireStrategy = true) => AlertParser.Parse(Encoding.UTF8.GetBytes(body), requireStrategy);

    [Fact]
    public void Parse_ValidAlert_ReadsEveryField()
    {
        var result = Parse("""
            {"strategy":"rsi-btc","action":"BUY","symbol":"binance:btcusdt","exchange":"binance","alert_id":"a-1","price":"42000.5",
             "quantity":0.25,"order_type":"limit","limit_price":42000,"time_in_force":"IOC","take_profit":45000,"stop_loss":"40000",
             "market_position":"long","prev_market_position":"flat","position_size":"0.25","timeframe":"15","time":"2025-01-01T00:00:00Z",
             "message":"hello","account":"paper-1"}
            """);

        result.Errors.ShouldBeEmpty();
        var alert = result.Payload.ShouldNotBeNull();
        alert.Action.ShouldBe("buy");
        alert.Symbol.ShouldBe("BINANCE:BTCUSDT");
        alert.Ticker.ShouldBe("BTCUSDT");
        alert.Price.ShouldBe(42000.5m);
        alert.Quantity.ShouldBe(0.25m);
        alert.OrderType.ShouldBe("limit");
        alert.LimitPrice.ShouldBe(42000m);
        alert.TimeInForce.ShouldBe("ioc");
        alert.StopLoss.ShouldBe(40000m);
        alert.PrevMarketPosition.ShouldBe("flat");
        alert.Account.ShouldBe("paper-1");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n", "empty")]
    [InlineData("[1,2]", "array")]
    [InlineData("\"buy\"", "string")]
    public void Parse_NotAnObject_ExplainsWhat(string body, string expected)
    {
        var error = Parse(body).Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("body");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_TrailingComma_NamesLinePositionAndCause()
    {
        var error = Parse("{\n  \"strategy\": \"demo\",\n  \"action\": \"buy\",\n}").Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("line 4");
        error.Message.ShouldContain("trailing comma");
    }

    [Fact]
    public void Parse_SmartQuotes_SaysSo()
    {
        Parse("{“strategy”: “demo”}").Errors.ShouldHaveSingleItem().Message.ShouldContain("smart");
    }

    [Fact]
    public void Parse_UnquotedPlaceholder_SaysSo()
    {
        Parse("{\"strategy\":\"demo\",\"action\":\"buy\",\"symbol\":\"X\",\"price\": {{close}}}").Errors.ShouldHaveSingleItem().Message.ShouldContain("{{close}}");
    }

    [Fact]
    public void Parse_QuotedPlaceholderLeftAsText_NamesTheField()
    {
        var error = Parse("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","quantity":"{{strategy.order.contract}}"}""").Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("quantity");
        error.Message.ShouldContain("{{strategy.order.contract}}");
    }

    [Fact]
    public void Parse_InvalidUtf8_IsRejected()
    {
        var bytes = new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' };
        AlertParser.Parse(bytes).Errors.ShouldHaveSingleItem().Message.ShouldContain("UTF-8");
    }

    [Fact]
    public void Parse_DeepNesting_IsRejectedWithReason()
    {
        var body = "{\"strategy\":\"demo\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        Parse(body).Errors.ShouldHaveSingleItem().Message.ShouldContain("nested");
    }

    [Theory]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("1e400")]
    [InlineData("\"12,5\"")]
    [InlineData("true")]
    public void Parse_BadNumber_NamesTheField(string price)
    {
        var error = Parse($$"""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","price":{{price}}}""").Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("price");
    }

    [Fact]
    public void Parse_DuplicateKeys_AreRejected()
    {
        var error = Parse("""{"strategy":"demo","action":"buy","action":"sell","symbol":"BTCUSDT"}""").Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("action");
        error.Message.ShouldContain("more than once");
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllAtOnce()
    {
        var errors = Parse("""{"action":"hold","order_type":"limit","quantity":-1}""").Errors.Select(e => e.Field).ToList();
        errors.ShouldBe(["strategy", "action", "symbol", "quantity", "limit_price"], ignoreOrder: true);
    }

    [Fact]
    public void Parse_TokenRoute_StrategyOptional()
    {
        Parse("""{"action":"sell","symbol":"ETHUSDT"}""", requireStrategy: false).IsValid.ShouldBeTrue();
        Parse("""{"action":"sell","symbol":"ETHUSDT"}""", requireStrategy: true).IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Parse_SecretFields_AreRedactedInTheStoredCopy()
    {
        var result = Parse("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT","passphrase":"hunter2","nested":{"api_key":"abc"}}""");
        result.IsValid.ShouldBeTrue();
        result.RedactedJson.ShouldNotBeNull();
        result.RedactedJson.ShouldNotContain("hunter2");
        result.RedactedJson.ShouldNotContain("abc");
        result.RedactedJson.ShouldContain(SecretRedactor.Mask);
    }
}
