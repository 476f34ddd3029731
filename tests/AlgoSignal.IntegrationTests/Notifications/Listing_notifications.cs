using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>The notification routes' answers to bad input, to a missing key and to an installation with no channel.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Listing_notifications(AlgoSignalFixture fixture)
{
    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?status=sent", "status")]
    [InlineData("?alert_id=nope", "alert_id")]
    public async Task Should_refuse_a_bad_filter_naming_it(string query, string field)
    {
        using var response = await fixture.Http.GetAsync("/api/v1/notifications" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Should_require_the_api_key()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.BaseAddress };
        (await anonymous.GetAsync("/api/v1/notifications")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/v1/notifications/test", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Should_say_that_no_channel_is_configured_when_asked_for_a_test()
    {
        using var response = await fixture.Http.PostAsync("/api/v1/notifications/test", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Notifications:Telegram:BotToken");
        (await fixture.Http.GetFromJsonAsync<List<JsonElement>>("/api/v1/notifications?event=test")).ShouldNotBeNull().ShouldBeEmpty();
    }
}
