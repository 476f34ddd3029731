using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary><c>/ws/realtime</c> over a real WebSocket, the upstream being the fake TradingView.</summary>
public sealed partial class Streaming_realtime_data : IAsyncLifetime
{
    private FakeTradingView _fake = null!;
    private IngressInstance _ingress = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        _environment = new AlgoSignalFixture(workers: 1, _fake.Settings());
        await _environment.InitializeAsync();
        _ingress = await _environment.StartIngressAsync();
    }

    public async Task DisposeAsync()
    {
        await _ingress.DisposeAsync();
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private Task<ClientWebSocket> ConnectAsync() => ConnectAsync(_ingress);

    private static async Task<ClientWebSocket> ConnectAsync(IngressInstance ingress)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-Api-Key", AlgoSignalFixture.ApiKey);
        await socket.ConnectAsync(new Uri($"ws://{ingress.BaseAddress.Authority}/ws/realtime"), CancellationToken.None);
        return socket;
    }

    private static async Task<JsonElement> NextStatusAsync(ClientWebSocket socket, string state)
    {
        while (true)
        {
            var status = await NextAsync(socket, "status");
            if (status.GetProperty("state").GetString() == state)
            {
                return status;
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> NextAsync(ClientWebSocket socket, string? type = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"Closed by the server: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            var root = document.RootElement.Clone();
            if (type is null || root.GetProperty("type").GetString() == type)
            {
                return root;
            }
        }
    }

    [Fact]
    public async Task Should_share_one_upstream_between_subscribers_and_push_updates()
    {
        using var first = await ConnectAsync();
        using var second = await ConnectAsync();
        await SendAsync(first, """{"type":"subscribe","symbols":["BINANCE:BTCUSDT"],"timeframes":["1"]}""");
        var subscribed = await NextAsync(first);
        subscribed.GetProperty("type").GetString().ShouldBe("subscribed");
        subscribed.GetProperty("symbols")[0].GetString().ShouldBe("BINANCE:BTCUSDT");
        await SendAsync(second, """{"type":"subscribe","symbols":["binance:btcusdt"],"timeframes":["1m"]}""");
        (await NextAsync(second)).GetProperty("type").GetString().ShouldBe("subscribed");

        var update = await NextAsync(first, "realtime_data");
        update.GetProperty("symbol").GetString().ShouldBe("BINANCE:BTCUSDT");
        update.GetProperty("timeframe").GetString().ShouldBe("1");
        update.GetProperty("data").GetProperty("price").GetDouble().ShouldBeGreaterThan(0);
        update.GetProperty("data").GetProperty("bar").GetProperty("time").GetString().ShouldEndWith("Z");
        (await NextAsync(second, "realtime_data")).GetProperty("symbol").GetString().ShouldBe("BINANCE:BTCUSDT");
        _fake.ConnectionsFor("BINANCE:BTCUSDT").ShouldBe(1, "one upstream subscription serves both clients");

        // The first leaves; the second keeps receiving.
        await SendAsync(first, """{"type":"unsubscribe","symbols":["BINANCE:BTCUSDT"],"timeframes":["1"]}""");
        (await NextAsync(first, "unsubscribed")).GetProperty("symbols")[0].GetString().ShouldBe("BINANCE:BTCUSDT");
        (await NextAsync(second, "realtime_data")).GetProperty("type").GetString().ShouldBe("realtime_data");

        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (_fake.ActiveStreams > 0 && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
        }

        _fake.ActiveStreams.ShouldBe(0, "the upstream stops with its last subscriber");
    }

    [Fact]
    public async Task Should_answer_malformed_messages_with_an_error_and_keep_the_connection()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "{not json");
        (await NextAsync(socket)).GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("Malformed JSON");
        await SendAsync(socket, """{"type":"subscribe","symbols":["BTCUSDT"]}""");
        (await NextAsync(socket)).GetProperty("type").GetString().ShouldBe("error");
        await SendAsync(socket, """{"type":"subscribe","symbols":["BINANCE:BTCUSDT"],"timeframes":["7h"]}""");
        (await NextAsync(socket)).GetProperty("message").GetString().ShouldNotBeNull().ShouldContain("7h");
        await SendAsync(socket, """{"type":"dance"}""");
        (await NextAsync(socket)).GetProperty("type").GetString().ShouldBe("error");
        socket.State.ShouldBe(WebSocketState.Open);
    }

    [Fact]
    public async Task Should_keep_serving_fast_clients_while_a_slow_one_reads_nothing()
    {
        using var slow = await ConnectAsync();
        using var fast = await ConnectAsync();
        await SendAsync(slow, """{"type":"subscribe","symbols":["BINANCE:SLOWUSDT"],"timeframes":["1"]}""");
        await SendAsync(fast, """{"type":"subscribe","symbols":["BINANCE:SLOWUSDT"],"timeframes":["1"]}""");
        (await NextAsync(fast)).GetProperty("type").GetString().ShouldBe("subscribed");

        // The slow client never reads; the fast one still gets a steady stream.
        var prices = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            prices.Add((await NextAsync(fast, "realtime_data")).GetProperty("data").GetProperty("price").GetDouble());
        }

        prices.Distinct().Count().ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task Should_refuse_a_connection_without_the_api_key()
    {
        using var socket = new ClientWebSocket();
        var error = await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{_ingress.BaseAddress.Authority}/ws/realtime"), CancellationToken.None));
        error.Message.ShouldContain("401");
    }
}
