using System.Net.Http.Headers;
using System.Text.Json;
using AlgoSignal.Brokers.TradeStation.Wire;

namespace AlgoSignal.Brokers.TradeStation;

// The order stream: a snapshot of the account's orders, then each change as it happens.
public sealed partial class TradeStationAdapter
{
    /// <summary>Every connection starts with the account's orders, so nothing missed while disconnected needs a poll.</summary>
    public bool SendsSnapshot => true;

    public string Endpoint => new Uri(_http.BaseAddress!, "brokerage/stream/accounts/*/orders") is var url ? $"{url.Scheme}://{url.Authority}{url.AbsolutePath}" : "";

    /// <summary>
    /// TradeStation's order stream (<c>GET /brokerage/stream/accounts/{accounts}/orders</c>): newline-delimited JSON over
    /// a chunked answer — first every open and recent order, then <c>{"StreamStatus":"EndSnapshot"}</c>, then each change;
    /// <c>{"Heartbeat":…}</c> while idle, <c>{"StreamStatus":"GoAway"}</c> when the server wants a reconnect.
    /// </summary>
    public async Task RunAsync(Func<BrokerOrderUpdate, CancellationToken, Task> onUpdate, Action onReady, CancellationToken cancellationToken)
    {
        var account = _options.AccountId ?? throw new BrokerException("Brokers:TradeStation:AccountId is not configured.");
        var path = $"brokerage/stream/accounts/{Uri.EscapeDataString(account)}/orders";
        using (var response = await OpenStreamAsync(path, cancellationToken))
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new BrokerException($"TradeStation answered HTTP {(int)response.StatusCode} to the order stream.");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            var silence = TimeSpan.FromSeconds(_options.StreamIdleSeconds);
            var ready = false;
            while (true)
            {
                string? line;
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    quiet.CancelAfter(silence);
                    try
                    {
                        line = await reader.ReadLineAsync(quiet.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new BrokerException($"TradeStation's order stream was silent for {silence.TotalSeconds:0} s.");
                    }
                }

                if (line is null)
                {
                    return;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                TradeStationStreamLine message;
                try
                {
                    message = JsonSerializer.Deserialize(line, TradeStationWireContext.Default.TradeStationStreamLine)
                        ?? throw new BrokerException("TradeStation's order stream sent a null line.");
                }
                catch (JsonException ex)
                {
                    throw new BrokerException($"TradeStation's order stream sent a line that is not JSON in its shape: {ex.Message}");
                }

                if (message.StreamStatus is { } streamStatus)
                {
                    switch (streamStatus)
                    {
                        case "EndSnapshot" when !ready:
                            ready = true;
                            onReady();
                            break;
                        case "GoAway":
                            return;
                    }
                }
                else if (message.Error is { } error)
                {
                    throw new BrokerException($"TradeStation's order stream failed: {error} {message.Message}");
                }
                else if (message.OrderID is not null && message.Status is not null)
                {
                    var status = ToStatus(message);
                    await onUpdate(new BrokerOrderUpdate(message.OrderConfirmID, status.BrokerOrderId, status, status.UpdatedAt ?? _time.GetUtcNow()), cancellationToken);
                }

                // Heartbeats only prove the stream alive, which reading them did.
            }
        }
    }

    private async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.tradestation.streams.v3+json"));
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"TradeStation did not open the order stream within {_options.TimeoutSeconds} s.");
        }
    }
}
