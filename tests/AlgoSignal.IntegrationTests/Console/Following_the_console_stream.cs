using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlgoSignal.Ingress.Console;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary><c>/api/v1/stream</c>: live events from the worker's RabbitMQ events, for the session or a key, bounded.</summary>
[Collection(AlgoSignalCollection.Name)]
public sealed class Following_the_console_stream(AlgoSignalFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Should_push_an_alert_event_and_its_order_when_a_signed_alert_is_filled()
    {
        var (strategy, _) = await fixture.CreateStrategyAsync("sse");
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);
        using var response = await browser.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        var symbol = "S" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{strategy}}","action":"buy","symbol":"{{symbol}}","price":100,"quantity":2,"message":"<b>hi</b>"}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetString();

        var order = await events.WaitForAsync("order", e => e.GetProperty("alert_id").GetString() == alertId && e.GetProperty("status").GetString() == "filled", Patience);
        order.GetProperty("filled_quantity").GetDecimal().ShouldBe(2m);
        order.GetProperty("average_price").GetDecimal().ShouldBeGreaterThan(0m);

        var alert = await events.WaitForAsync("alert", e => e.GetProperty("alert_id").GetString() == alertId, Patience);
        alert.GetProperty("status").GetString().ShouldBe("filled");
        alert.GetProperty("strategy").GetString().ShouldBe(strategy);
        alert.GetProperty("symbol").GetString().ShouldBe(symbol);
        alert.GetProperty("action").GetString().ShouldBe("buy");
        alert.GetProperty("finished_at").GetDateTimeOffset().ShouldBeGreaterThan(TimeProvider.System.GetUtcNow().AddMinutes(-1));
        events.Comments.ShouldContain(": connected");
    }

    [Fact]
    public async Task Should_push_a_refused_alert_with_its_reason_to_a_machine_with_a_key()
    {
        using var response = await fixture.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        var missing = "no-such-" + Guid.NewGuid().ToString("N")[..8];
        var (status, body) = await fixture.PostSignedAsync($$"""{"strategy":"{{missing}}","action":"buy","symbol":"BTCUSDT","price":1}""");
        status.ShouldBe(202, body.ToString());
        var alertId = body.GetProperty("alert_id").GetString();

        var alert = await events.WaitForAsync("alert", e => e.GetProperty("alert_id").GetString() == alertId, Patience);
        alert.GetProperty("status").GetString().ShouldBe("rejected");
        alert.GetProperty("reason").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Should_push_kill_switch_changes_with_who_made_them()
    {
        using var browser = new ConsoleBrowser(fixture.BaseAddress);
        await browser.SignInAsync(AlgoSignalFixture.ApiKey);
        using var response = await browser.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        var reason = "stream test " + Guid.NewGuid().ToString("N")[..6];
        try
        {
            (await browser.SendAsync(HttpMethod.Post, "/api/v1/kill-switch", $$"""{"enabled":true,"reason":"{{reason}}"}""")).Status.ShouldBe(HttpStatusCode.OK);
            var engaged = await events.WaitForAsync("kill_switch", e => e.GetProperty("reason").GetString() == reason, Patience);
            engaged.GetProperty("state").GetString().ShouldBe("engaged");
            engaged.GetProperty("changed_by").GetString().ShouldBe($"console session of key {KeyLabel} from 127.0.0.1");

            var overview = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/overview");
            overview.GetProperty("kill_switch").GetProperty("enabled").GetBoolean().ShouldBeTrue();
            overview.GetProperty("kill_switch").GetProperty("reason").GetString().ShouldBe(reason);
            overview.GetProperty("kill_switch").GetProperty("changed_by").GetString().ShouldBe($"console session of key {KeyLabel} from 127.0.0.1");

            // Stored with the change, so every ingress (also one started later) can say who it was.
            await using var db = fixture.CreateDbContext();
            (await db.KillSwitch.SingleAsync()).UpdatedBy.ShouldBe($"console session of key {KeyLabel} from 127.0.0.1");
            var stored = await fixture.Http.GetFromJsonAsync<JsonElement>("/api/v1/kill-switch");
            stored.GetProperty("updated_by").GetString().ShouldBe($"console session of key {KeyLabel} from 127.0.0.1");
        }
        finally
        {
            using var released = await fixture.Http.PostAsync("/api/v1/kill-switch", JsonContent.Create(new { enabled = false, reason = "released" }));
            released.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var release = await events.WaitForAsync("kill_switch", e => !e.GetProperty("enabled").GetBoolean(), Patience);
        release.GetProperty("state").GetString().ShouldBe("released");
        release.GetProperty("changed_by").GetString().ShouldBe($"API key {KeyLabel} from 127.0.0.1");
        var after = await fixture.Http.GetStringAsync("/api/v1/kill-switch");
        JsonDocument.Parse(after).RootElement.GetProperty("updated_by").GetString().ShouldBe($"API key {KeyLabel} from 127.0.0.1");
        after.ShouldNotContain(AlgoSignalFixture.ApiKey);
    }

    /// <summary>The first 8 hex digits of the key's one-way fingerprint: it tells keys apart and never shows one.</summary>
    private static string KeyLabel => ConsoleSessions.Fingerprint(AlgoSignalFixture.ApiKey)[..8].ToLowerInvariant();

    [Fact]
    public async Task Should_refuse_a_stream_without_a_key_or_session_and_beyond_the_limit()
    {
        using (var anonymous = new HttpClient { BaseAddress = fixture.BaseAddress })
        {
            (await anonymous.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string> { ["Console:MaxStreams"] = "1" });
        using var first = await ingress.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var second = await ingress.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead))
        {
            second.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await second.Content.ReadAsStringAsync()).ShouldContain("Console:MaxStreams");
        }

        // A closed stream frees its place.
        first.Dispose();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        HttpStatusCode again;
        do
        {
            await Task.Delay(100);
            using var retry = await ingress.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
            again = retry.StatusCode;
        }
        while (again != HttpStatusCode.OK && TimeProvider.System.GetUtcNow() < deadline);

        again.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_send_a_heartbeat_comment_while_nothing_happens()
    {
        // This ingress keeps time by a clock the test moves: each step of a heartbeat interval is a quiet interval.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ingress = await fixture.StartIngressAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        using var response = await ingress.Http.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        // The stream arms its quiet timer after it wrote ": connected", at a moment the test cannot see: the clock
        // steps on until the two heartbeats have arrived, never waiting for them by the wall clock.
        var heartbeats = events.WaitForCommentsAsync(": heartbeat", 2, TimeSpan.FromSeconds(10));
        while (!heartbeats.IsCompleted)
        {
            clock.Advance(StreamApi.HeartbeatInterval);
            await Task.WhenAny(heartbeats, Task.Delay(50));
        }

        await heartbeats;
        events.Comments[0].ShouldBe(": connected");
    }

    [Fact]
    public void Should_drop_a_client_that_does_not_keep_up_instead_of_buffering_without_end()
    {
        var feed = new ConsoleFeed(Options.Create(new ConsoleOptions { StreamBuffer = 8, MaxStreams = 2 }));
        using var slow = feed.TryOpen().ShouldNotBeNull();
        using var fast = feed.TryOpen().ShouldNotBeNull();
        feed.TryOpen().ShouldBeNull("two streams are the limit");

        for (var i = 0; i < 20; i++)
        {
            feed.Publish("order", new { n = i });
            while (fast.Reader.TryRead(out _))
            {
            }
        }

        slow.Dropped.ShouldBeTrue();
        fast.Dropped.ShouldBeFalse();
        feed.Count.ShouldBe(1);
        var buffered = 0;
        while (slow.Reader.TryRead(out _))
        {
            buffered++;
        }

        buffered.ShouldBe(8);
        slow.Reader.Completion.IsCompleted.ShouldBeTrue();
    }
}
