using System.Net.WebSockets;
using System.Text.Json;
using AlgoSignal.Ingress.MarketData;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.MarketData.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

// When the upstream fails, when limits are reached, bad symbols, and clients that vanish.
public sealed partial class Streaming_realtime_data
{
    [Fact]
    public async Task Should_tell_subscribers_when_the_upstream_fails_and_when_it_is_live_again()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """{"type":"subscribe","symbols":["BINANCE:OUTAGEUSDT"],"timeframes":["1"]}""");
        (await NextAsync(socket)).GetProperty("type").GetString().ShouldBe("subscribed");
        await NextAsync(socket, "realtime_data");

        _fake.Unavailable = true;
        try
        {
            var failed = await NextStatusAsync(socket, "reconnecting");
            failed.GetProperty("symbol").GetString().ShouldBe("BINANCE:OUTAGEUSDT");
            failed.GetProperty("timeframe").GetString().ShouldBe("1");
            failed.GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("BINANCE:OUTAGEUSDT");

            // Every failed attempt is told, not only the first.
            var again = await NextStatusAsync(socket, "reconnecting");
            again.GetProperty("reason").GetString().ShouldNotBeNullOrWhiteSpace();

            // A client joining during the outage hears of it right after "subscribed".
            using var late = await ConnectAsync();
            await SendAsync(late, """{"type":"subscribe","symbols":["BINANCE:OUTAGEUSDT"],"timeframes":["1"]}""");
            await NextAsync(late, "subscribed");
            (await NextAsync(late, "status")).GetProperty("state").GetString().ShouldBe("reconnecting");
        }
        finally
        {
            _fake.Unavailable = false;
        }

        var live = await NextStatusAsync(socket, "live");
        live.GetProperty("symbol").GetString().ShouldBe("BINANCE:OUTAGEUSDT");
        (await NextAsync(socket, "realtime_data")).GetProperty("symbol").GetString().ShouldBe("BINANCE:OUTAGEUSDT");
        _fake.Refused.ShouldBeGreaterThan(0, "the upstream really was down");
    }

    [Fact]
    public async Task Should_refuse_connections_beyond_the_per_key_limit_and_streams_beyond_the_global_limit()
    {
        await using var ingress = await _environment.StartIngressAsync(new Dictionary<string, string>
        {
            ["MarketData:Realtime:MaxConnectionsPerKey"] = "2",
            ["MarketData:Realtime:MaxUpstreamStreams"] = "2",
        });
        using var first = await ConnectAsync(ingress);
        using var second = await ConnectAsync(ingress);

        using (var third = await ConnectAsync(ingress))
        {
            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var refusal = await third.ReceiveAsync(buffer, timeout.Token);
            using var error = JsonDocument.Parse(buffer.AsMemory(0, refusal.Count));
            error.RootElement.GetProperty("type").GetString().ShouldBe("error");
            error.RootElement.GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("MaxConnectionsPerKey");
            var close = await third.ReceiveAsync(buffer, timeout.Token);
            close.MessageType.ShouldBe(WebSocketMessageType.Close);
            third.CloseStatus.ShouldBe(WebSocketCloseStatus.PolicyViolation);
            third.CloseStatusDescription.ShouldNotBeNull().ShouldContain("too many connections");
        }

        // Two streams are the whole budget: a third symbol is refused, a followed one is shared.
        await SendAsync(first, """{"type":"subscribe","symbols":["BINANCE:CAPAUSDT","BINANCE:CAPBUSDT"],"timeframes":["1"]}""");
        (await NextAsync(first, "subscribed")).GetProperty("symbols").GetArrayLength().ShouldBe(2);
        await SendAsync(second, """{"type":"subscribe","symbols":["BINANCE:CAPCUSDT"],"timeframes":["1"]}""");
        (await NextAsync(second, "error")).GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("MaxUpstreamStreams");
        await SendAsync(second, """{"type":"subscribe","symbols":["BINANCE:CAPAUSDT"],"timeframes":["1"]}""");
        (await NextAsync(second, "subscribed")).GetProperty("symbols")[0].GetString().ShouldBe("BINANCE:CAPAUSDT");
        (await NextAsync(second, "realtime_data")).GetProperty("symbol").GetString().ShouldBe("BINANCE:CAPAUSDT");

        // A connection closed frees its place for the key.
        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var connections = ingress.App.Services.GetRequiredService<RealtimeConnections>();
        (await Eventually.HoldsAsync(() => PlaceFree(connections), TimeSpan.FromSeconds(10))).ShouldBeTrue("the closed connection's place was freed");
        using var replacement = await ConnectAsync(ingress);
        await SendAsync(replacement, """{"type":"subscribe","symbols":["BINANCE:CAPBUSDT"],"timeframes":["1"]}""");
        (await NextAsync(replacement, "subscribed")).GetProperty("type").GetString().ShouldBe("subscribed");
    }

    [Theory]
    [InlineData(@"BINANCE:BTC\nUSDT")]
    [InlineData(@"BINANCE:BTC\u0000USDT")]
    [InlineData("BINANCE:BTC USDT")]
    [InlineData("BINANCE:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData(@"BIN\u001b[31mANCE:BTCUSDT")]
    public async Task Should_refuse_symbols_that_are_not_printable_or_too_long(string symbol)
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, $$"""{"type":"subscribe","symbols":["BINANCE:ETHUSDT","{{symbol}}"],"timeframes":["1"]}""");
        var error = await NextAsync(socket);
        error.GetProperty("type").GetString().ShouldBe("error");
        var message = error.GetProperty("message").GetString().ShouldNotBeNull();
        message.ShouldContain("\"symbols\"[1]");
        message.ShouldContain("BINANCE:BTCUSDT");
        message.ShouldNotContain("\n");
        socket.State.ShouldBe(WebSocketState.Open);
    }

    [Fact]
    public async Task Should_log_clients_that_vanish_without_closing_as_one_warning_without_a_stack_trace()
    {
        var capture = new CapturingLoggerProvider();
        await using var ingress = await _environment.StartIngressAsync(configure: builder => builder.Logging.AddProvider(capture));
        for (var i = 0; i < 5; i++)
        {
            var socket = await ConnectAsync(ingress);
            await SendAsync(socket, """{"type":"subscribe","symbols":["BINANCE:VANISHUSDT"],"timeframes":["1"]}""");
            await NextAsync(socket, "subscribed");
            socket.Abort();
            socket.Dispose();
        }

        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (!capture.Lines.Any(l => l.Contains("went away", StringComparison.Ordinal)) && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        // Each connection leaves the hub after its going away was reported: with no stream left, all five were.
        var hub = ingress.App.Services.GetRequiredService<RealtimeHub>();
        (await Eventually.HoldsAsync(() => hub.ActiveStreams == 0, TimeSpan.FromSeconds(10))).ShouldBeTrue("every vanished client left the hub");
        var lines = capture.Lines.ToList();
        lines.Count(l => l.Contains("went away", StringComparison.Ordinal)).ShouldBe(1, string.Join(Environment.NewLine, lines));
        var vanished = lines.Single(l => l.Contains("went away", StringComparison.Ordinal));
        vanished.ShouldStartWith("Warning");
        vanished.ShouldNotContain("   at ");
        lines.Where(l => (l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
            && (l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal) || l.Contains("AlgoSignal.Ingress", StringComparison.Ordinal))).ShouldBeEmpty();
        lines.ShouldNotContain(l => l.Contains("WebSocketException", StringComparison.Ordinal));
    }

    /// <summary>Whether the test key has a place for one more connection (taken and given back at once to find out).</summary>
    private static bool PlaceFree(RealtimeConnections connections)
    {
        if (!connections.TryOpen(AlgoSignalFixture.ApiKey))
        {
            return false;
        }

        connections.Close(AlgoSignalFixture.ApiKey);
        return true;
    }
}
