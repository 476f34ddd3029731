using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AlgoSignal.MarketData.TradingView;

namespace AlgoSignal.IntegrationTests.MarketData;

// One client's chart session: the request sequence, each FAKE symbol's behaviour, paging and the live stream.
public sealed partial class FakeTradingView
{
    private sealed class Conversation(FakeTradingView fake, WebSocket socket)
    {
        private string _token = "";
        private string _symbol = "";
        private string _chart = "";
        private TimeSpan _interval;
        private List<(long Time, double O, double H, double L, double C, double V)> _history = [];
        private int _served;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await SendAsync([JsonSerializer.Serialize(new { session_id = "fake", timestamp = 1 })], cancellationToken);
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                var text = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
                while (!result.EndOfMessage);

                foreach (var payload in TvFrame.Decode(text.ToString()))
                {
                    if (TvFrame.IsHeartbeat(payload))
                    {
                        Interlocked.Increment(ref fake.HeartbeatEchoes);
                        continue;
                    }

                    await HandleAsync(payload, cancellationToken);
                }
            }
        }

        private async Task HandleAsync(string payload, CancellationToken cancellationToken)
        {
            using var document = JsonDocument.Parse(payload);
            var method = document.RootElement.GetProperty("m").GetString();
            var p = document.RootElement.GetProperty("p");
            switch (method)
            {
                case "set_auth_token":
                    _token = p[0].GetString()!;
                    fake.TokensSeen.Enqueue(_token);
                    break;
                case "chart_create_session":
                    _chart = p[0].GetString()!;
                    break;
                case "resolve_symbol":
                    using (var symbol = JsonDocument.Parse(p[2].GetString()![1..]))
                    {
                        _symbol = symbol.RootElement.GetProperty("symbol").GetString()!;
                    }

                    break;
                case "create_series":
                    _interval = Interval(p[4].GetString()!);
                    var bars = p[5].GetInt32();
                    fake.SeriesRequests.Enqueue((_symbol, method, bars));
                    await CreateSeriesAsync(bars, cancellationToken);
                    break;
                case "request_more_data":
                    var more = p[2].GetInt32();
                    fake.SeriesRequests.Enqueue((_symbol, method, more));
                    await SendPageAsync(more, cancellationToken);
                    break;
            }
        }

        private async Task CreateSeriesAsync(int bars, CancellationToken cancellationToken)
        {
            var name = _symbol.StartsWith("FAKE:", StringComparison.Ordinal) ? _symbol[5..] : "";
            switch (name)
            {
                case "UNKNOWN":
                    await SendAsync([Message("symbol_error", _chart, "symbol_1", "invalid symbol")], cancellationToken);
                    return;
                case "SERIESERR":
                    await SendAsync([Message("symbol_resolved", _chart, "symbol_1", Info()), Message("series_error", _chart, "s1", "s1", "resolution not supported")], cancellationToken);
                    return;
                case "CRITICAL":
                    await SendAsync([Message("critical_error", _chart, "unexpected server state")], cancellationToken);
                    return;
                case "PROTOERR":
                    await SendAsync([Message("protocol_error", "wrong data")], cancellationToken);
                    return;
                case "STALL":
                    return;
                case "AUTH" when _token != AuthToken:
                    await SendAsync([Message("symbol_error", _chart, "symbol_1", "no permission")], cancellationToken);
                    return;
            }

            _history = Bars(_interval, History, TimeProvider.System.GetUtcNow());
            var connection = fake._connectionsBySymbol.AddOrUpdate(_symbol, 1, (_, n) => n + 1);
            if (name == "GAPPY")
            {
                _history.RemoveRange(_history.Count - 60, 10);
            }

            if (name == "BROKEN" || (name == "FLAKY" && connection % 3 != 0))
            {
                // Every other bar has its high below its low, and the newest ones are missing.
                _history = _history.Select((b, i) => i % 2 == 0 ? b with { H = b.L - 1 } : b).SkipLast(20).ToList();
            }

            await SendAsync([Message("symbol_resolved", _chart, "symbol_1", Info())], cancellationToken);
            await SendPageAsync(bars, cancellationToken, dropHalfway: name == "DROP" && connection == 1);
            if (bars <= 5)
            {
                // A live chart: the forming bar keeps changing ("du") until the client goes away.
                _ = StreamAsync(cancellationToken);
            }
        }

        private async Task StreamAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref fake.ActiveStreams);
            try
            {
                var (time, o, h, l, c, v) = _history[^1];
                for (var tick = 1; socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested; tick++)
                {
                    await Task.Delay(50, cancellationToken);
                    if (fake.Unavailable)
                    {
                        socket.Abort();
                        return;
                    }

                    var close = Math.Round(c + (tick * 0.01), 4);
                    var point = new { i = 0, v = new[] { time, o, Math.Max(h, close), l, close, v + tick } };
                    await SendAsync([Message("du", _chart, new Dictionary<string, object> { ["s1"] = new { s = new[] { point } } })], cancellationToken);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref fake.ActiveStreams);
            }
        }

        /// <summary>The next (older) page: in chunks (DUPES: a duplicated bar at each chunk edge), a heartbeat among them, two messages per frame.</summary>
        private async Task SendPageAsync(int count, CancellationToken cancellationToken, bool dropHalfway = false)
        {
            var end = _history.Count - _served;
            var start = Math.Max(0, end - count);
            var page = _history.GetRange(start, end - start);
            _served += page.Count;
            var noVolume = _symbol == "FAKE:NOVOL";
            var chunks = page.Chunk(Math.Max(1, page.Count / 3)).ToList();
            for (var i = 0; i < chunks.Count; i++)
            {
                var points = chunks[i].Select((b, j) => new { i = j, v = noVolume ? new[] { b.Time, b.O, b.H, b.L, b.C } : new[] { b.Time, b.O, b.H, b.L, b.C, b.V } }).ToList();
                if (i > 0 && _symbol == "FAKE:DUPES")
                {
                    // The first bar of this chunk again: the client must not count it twice.
                    points.Insert(0, points[0]);
                }

                var update = Message("timescale_update", _chart, new Dictionary<string, object> { ["s1"] = new { s = points } });
                if (i == 1)
                {
                    if (dropHalfway)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "dropped", cancellationToken);
                        return;
                    }

                    await SendAsync([update, "~h~" + (i + 7).ToString(CultureInfo.InvariantCulture)], cancellationToken);
                }
                else
                {
                    await SendAsync([update], cancellationToken);
                }
            }

            await SendAsync([Message("series_completed", _chart, "s1", "streaming")], cancellationToken);
        }

        private Dictionary<string, object> Info() => new()
        {
            ["name"] = _symbol,
            ["description"] = "Fake " + _symbol,
            ["session"] = "24x7",
            ["timezone"] = "Etc/UTC",
            ["has_no_volume"] = _symbol == "FAKE:NOVOL",
        };

        private static TimeSpan Interval(string code) => code switch
        {
            "1D" => TimeSpan.FromDays(1),
            "1W" => TimeSpan.FromDays(7),
            "1M" => TimeSpan.FromDays(30),
            _ => TimeSpan.FromMinutes(int.Parse(code, CultureInfo.InvariantCulture)),
        };

        private static string Message(string method, params object[] parameters) => JsonSerializer.Serialize(new { m = method, p = parameters });

        private Task SendAsync(IEnumerable<string> payloads, CancellationToken cancellationToken) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(string.Concat(payloads.Select(TvFrame.Encode))), WebSocketMessageType.Text, true, cancellationToken);
    }
}
