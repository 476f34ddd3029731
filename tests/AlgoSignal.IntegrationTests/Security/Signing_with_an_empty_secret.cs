using AlgoSignal.Domain.Security;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Security;

[Collection(AlgoSignalCollection.Name)]
public sealed class Signing_with_an_empty_secret(AlgoSignalFixture fixture)
{
    [Fact]
    public async Task Should_answer_401_saying_the_secret_was_empty()
    {
        var body = """{"strategy":"demo","action":"buy","symbol":"BTCUSDT","price":1}""";
        var signature = WebhookSignature.Header("", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), System.Text.Encoding.UTF8.GetBytes(body));
        var (status, answer) = await fixture.PostSignedAsync(body, signature);
        status.ShouldBe(401);
        var error = answer.GetProperty("errors")[0];
        error.GetProperty("field").GetString().ShouldBe("signature");
        error.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("empty secret");
    }

    [Fact]
    public async Task Should_still_answer_a_plain_mismatch_for_a_wrong_secret()
    {
        var body = """{"strategy":"demo","action":"buy","symbol":"BTCUSDT","price":1}""";
        var signature = WebhookSignature.Header("some-other-secret-0123456789", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), System.Text.Encoding.UTF8.GetBytes(body));
        var (status, answer) = await fixture.PostSignedAsync(body, signature);
        status.ShouldBe(401);
        answer.GetProperty("errors")[0].GetProperty("message").GetString().ShouldNotBeNull().ShouldNotContain("empty");
    }
}
