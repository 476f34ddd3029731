using System.Text.Json;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Api;

// The valid strategy body the bad ones are made from, the catalogue of bad fields, and what a 400 must look like.
public sealed partial class Rejecting_bad_management_input
{
    private const string Window = """{"start":"09:30","end":"16:00","timezone":"America/New_York","days":["mon","tue"]}""";

    private static readonly (string Field, string Value)[] ValidFields =
    [
        ("name", "\"NAME\""), ("enabled", "true"), ("mode", "\"paper\""), ("routes", """[{"broker":"paper","account":"acct-NAME"}]"""),
        ("symbols", """["BINANCE:BTCUSDT"]"""), ("timeframes", "[]"), ("sizing", """{"mode":"fixed","quantity":1}"""), ("risk_multiplier", "1.0"),
        ("max_positions", "5"), ("max_position_quantity", "null"), ("max_order_notional", "null"), ("max_daily_loss", "null"),
        ("max_orders_per_minute", "30"), ("trading_window", "null"), ("max_signal_age_seconds", "60"), ("allow_short", "true"), ("pyramiding", "1"),
    ];

    private static string NewName() => "bad-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A whole, valid strategy body with one field's raw JSON replaced (or left out when <paramref name="value"/> is null).</summary>
    private static string Compose(string name, string? field = null, string? value = null) =>
        "{" + string.Join(",", ValidFields.Where(f => f.Field != field || value is not null)
            .Select(f => $"\"{f.Field}\":{(f.Field == field ? value : f.Value)}")).Replace("NAME", name, StringComparison.Ordinal) + "}";

    public static TheoryData<string, string, string?, string> Catalogue() => new()
    {
        { "trading_window", """{"start":"09:30","end":"16:00","days":["mon"]}""", null, "trading_window.timezone" },
        { "trading_window", """{"start":"09:30","end":"16:00","timezone":"America/New_York"}""", null, "trading_window.days" },
        { "trading_window", "\"09:30-16:00\"", null, "trading_window" },
        { "trading_window", """{"start":null,"end":"16:00","timezone":"UTC","days":["mon"]}""", null, "trading_window.start" },
        { "trading_window", """{"start":"09:30","end":"16:00","timezone":"Mars/Base\u0000","days":["mon"]}""", null, "trading_window.timezone" },
        { "trading_window", """{"start":"09:30","end":"16:00","timezone":"UTC","days":[null]}""", null, "trading_window.days[0]" },
        { "routes", "[null]", null, "routes[0]" },
        { "routes", """[{"broker":"paper"}]""", null, "routes[0].account" },
        { "routes", """[{"broker":"paper","account":"a\ud800"}]""", null, "routes[0].account" },
        { "routes", """[{"broker":"paper","account":"a","leverage":5}]""", null, "routes[0].leverage" },
        { "routes", "null", null, "routes" },
        { "routes", "{}", null, "routes" },
        { "symbols", "[null]", null, "symbols[0]" },
        { "symbols", "[1]", null, "symbols[0]" },
        { "timeframes", "null", null, "timeframes" },
        { "sizing", "null", null, "sizing" },
        { "sizing", """{"mode":"fixed","quantity":1e30}""", null, "sizing.quantity" },
        { "sizing", """{"mode":"fixed","quantity":10000000000000}""", null, "sizing.quantity" },
        { "sizing", """{"mode":"notional","amount":-5}""", null, "sizing.amount" },
        { "sizing", """{"mode":"fixed","quantity":"NaN"}""", null, "sizing.quantity" },
        { "sizing", """{"mode":null}""", null, "sizing.mode" },
        { "risk_multiplier", "1e999", null, "risk_multiplier" },
        { "max_positions", "10000000000", null, "max_positions" },
        { "max_positions", "1.5", null, "max_positions" },
        { "max_positions", "null", null, "max_positions" },
        { "max_order_notional", "1e16", null, "max_order_notional" },
        { "max_daily_loss", "\"lots\"", null, "max_daily_loss" },
        { "pyramiding", "1000000", null, "pyramiding" },
        { "max_signal_age_seconds", "-1", null, "max_signal_age_seconds" },
        { "enabled", "\"yes\"", null, "enabled" },
        { "allow_short", "null", null, "allow_short" },
        { "name", "\"demo\\u0000\"", null, "name" },
        { "name", "null", null, "name" },
        { "name", "7", null, "name" },
        { "mode", "\"paper\",\"mode\":\"live\"", null, "mode" },
        { "body", "", "[1,2]", "body" },
        { "body", "", "\"strategy\"", "body" },
        { "body", "", "{\"name\":" + new string('[', 50) + new string(']', 50) + "}", "body" },
        { "body", "", "{\"name\":\"x\",", "body" },
        { "body", "", "{\"name\":\"x\",\"\\u0000\":1}", "body" },
    };

    private static void ShouldBeAProblemNamingTheField(string text, string field)
    {
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue($"{field} not named in {text}");
        messages[0].GetString().ShouldNotBeNullOrWhiteSpace();
        ShouldNameNoDotNetType(text);
    }

    private static void ShouldNameNoDotNetType(string text)
    {
        foreach (var leak in new[] { "System.", "AlgoSignal.", "Nullable`", "deserializ", "JsonException", "Exception" })
        {
            text.ShouldNotContain(leak, Case.Sensitive, $"the answer shows a .NET detail: {text}");
        }
    }
}
