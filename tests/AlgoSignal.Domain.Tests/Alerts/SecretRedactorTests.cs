using System.Text.Json;
using AlgoSignal.Domain.Alerts;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Alerts;

public sealed class SecretRedactorTests
{
    private static string Redact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SecretRedactor.Redact(document.RootElement);
    }

    [Theory]
    [InlineData("pass")]
    [InlineData("access_key")]
    [InlineData("accessKey")]
    [InlineData("AccessKey")]
    [InlineData("access-key")]
    [InlineData("bearer")]
    [InlineData("jwt")]
    [InlineData("otp")]
    [InlineData("hmac")]
    [InlineData("sig")]
    [InlineData("user_key")]
    [InlineData("userKey")]
    [InlineData("X-Api-Key")]
    [InlineData("APIKEY")]
    [InlineData("clientSecret")]
    [InlineData("private_key")]
    [InlineData("auth")]
    [InlineData("Authorization")]
    [InlineData("credentials")]
    [InlineData("passWord")]
    [InlineData("pin")]
    [InlineData("refresh_token")]
    public void IsSecretKey_SecretLikeName_IsTrue(string name) => SecretRedactor.IsSecretKey(name).ShouldBeTrue(name);

    [Theory]
    [InlineData("strategy")]
    [InlineData("symbol")]
    [InlineData("signal")]
    [InlineData("monkey")]
    [InlineData("quantity")]
    [InlineData("stop_price")]
    [InlineData("position_size")]
    [InlineData("message")]
    [InlineData("alert_id")]
    [InlineData("keyword")]
    [InlineData("bypass")]
    public void IsSecretKey_OrdinaryName_IsFalse(string name) => SecretRedactor.IsSecretKey(name).ShouldBeFalse(name);

    [Fact]
    public void Redact_ObjectUnderSecretKey_IsMaskedWhole()
    {
        var redacted = Redact("""{"auth":{"user":"bob","pass":"hunter2"},"note":"ok"}""");
        redacted.ShouldNotContain("hunter2");
        redacted.ShouldNotContain("bob");
        redacted.ShouldContain("\"auth\":\"[redacted]\"");
        redacted.ShouldContain("\"note\":\"ok\"");
    }

    [Fact]
    public void Redact_ArrayUnderSecretKey_IsMaskedWhole()
    {
        var redacted = Redact("""{"credentials":[{"name":"ib","value":"hunter2"},"hunter3"]}""");
        redacted.ShouldNotContain("hunter");
        redacted.ShouldBe("""{"credentials":"[redacted]"}""");
    }

    [Fact]
    public void Redact_SecretDeepInsideOrdinaryKeys_IsMasked()
    {
        var redacted = Redact("""{"extra":{"brokers":[{"id":"b1","accessKey":"AKIA123","meta":{"jwt":"eyJhbGciOi"}}]}}""");
        redacted.ShouldNotContain("AKIA123");
        redacted.ShouldNotContain("eyJhbGciOi");
        redacted.ShouldContain("\"id\":\"b1\"");
    }

    [Fact]
    public void Redact_UnstorableText_IsReplaced()
    {
        var redacted = Redact("""{"message":"a\u0000b","note":"\ud800"}""");
        redacted.ShouldNotContain("\\u0000");
        redacted.ShouldNotContain("\\uD800", Case.Insensitive);
        using var back = JsonDocument.Parse(redacted);
        back.RootElement.GetProperty("message").GetString().ShouldBe("a\uFFFDb");
        back.RootElement.GetProperty("note").GetString().ShouldBe("\uFFFD");
    }
}
