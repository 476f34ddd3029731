using System.Text;
using AlgoSignal.Domain.Security;
using Shouldly;

namespace AlgoSignal.Domain.Tests.Security;

public sealed class WebhookSignatureTests
{
    private const string Secret = "s3cret-0123456789abcdef";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"strategy":"demo","action":"buy","symbol":"BTCUSDT"}""");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private static SignatureCheck Verify(string? header, byte[]? body = null, params string[] secrets) =>
        WebhookSignature.Verify(header, body ?? Body, secrets.Length == 0 ? [Secret] : secrets, Now, Tolerance);

    [Fact]
    public void Verify_KnownVector_MatchesIndependentHmac()
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash([.. "1750000000."u8.ToArray(), .. Body]));
        WebhookSignature.Compute(Secret, 1_750_000_000, Body).ShouldBe(expected);
    }

    [Fact]
    public void Verify_ValidSignature_IsValid() => Verify(WebhookSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body)).ShouldBe(SignatureCheck.Valid);

    [Fact]
    public void Verify_Missing_IsMissing() => Verify(null).ShouldBe(SignatureCheck.Missing);

    [Theory]
    [InlineData("garbage")]
    [InlineData("t=abc,v1=00")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1750000000")]
    [InlineData("t=1750000000,v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_Malformed_IsMalformed(string header) => Verify(header).ShouldBe(SignatureCheck.Malformed);

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_OutsideTolerance_IsStale(int offset) =>
        Verify(WebhookSignature.Header(Secret, Now.ToUnixTimeSeconds() + offset, Body)).ShouldBe(SignatureCheck.Stale);

    [Fact]
    public void Verify_TamperedBody_IsMismatch()
    {
        var header = WebhookSignature.Header(Secret, Now.ToUnixTimeSeconds(), Body);
        Verify(header, Encoding.UTF8.GetBytes("""{"strategy":"demo","action":"sell","symbol":"BTCUSDT"}""")).ShouldBe(SignatureCheck.Mismatch);
    }

    [Fact]
    public void Verify_WrongSecret_IsMismatch() =>
        Verify(WebhookSignature.Header("another-secret-0123456", Now.ToUnixTimeSeconds(), Body)).ShouldBe(SignatureCheck.Mismatch);

    [Fact]
    public void Verify_SignedWithAnEmptySecret_IsEmptySecret() =>
        Verify(WebhookSignature.Header("", Now.ToUnixTimeSeconds(), Body)).ShouldBe(SignatureCheck.EmptySecret);

    [Fact]
    public void Verify_Rotation_AnyOfSeveralSignaturesAndSecrets()
    {
        var t = Now.ToUnixTimeSeconds();
        var header = $"t={t},v1={WebhookSignature.Compute("old-secret-0123456789", t, Body)},v1={WebhookSignature.Compute("new-secret-0123456789", t, Body)}";
        Verify(header, null, "new-secret-0123456789").ShouldBe(SignatureCheck.Valid);
        Verify(header, null, "unrelated-0123456789", "old-secret-0123456789").ShouldBe(SignatureCheck.Valid);
        Verify(header, null, "unrelated-0123456789").ShouldBe(SignatureCheck.Mismatch);
    }
}
