using System.Net.WebSockets;
using AlgoSignal.Domain.MarketData;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlgoSignal.MarketData.TradingView;

/// <summary>
/// Fetches OHLC history over TradingView's chart WebSocket: the request sequence, several messages per
/// frame, heartbeat echo, series arriving in several updates, paging past one page with
/// <c>request_more_data</c>, errors ending the request at once with their reason, and bounded retries
/// with backoff for timeouts and dropped connections.
/// </summary>
/// <remarks>Here the connection and the retries; one connection's conversation is <see cref="TvSession"/>.</remarks>
public sealed partial class TradingViewClient(TradingViewAuth auth, IOptions<TradingViewOptions> options, TimeProvider time, ILogger<TradingViewClient> logger)
{
    public async Task<TvSeries> FetchAsync(TvRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await FetchOnceAsync(request, settings, cancellationToken);
            }
            catch (TvException ex) when (ex.Transient && attempt < settings.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                LogRetry(logger, request.FullSymbol, attempt, ex.Kind, ex.Message, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Follows a symbol live: the newest bar and every update of it go to <paramref name="onBar"/> until
    /// cancelled. Returns when the connection ends (the caller reconnects); throws what the server names.
    /// </summary>
    public async Task StreamAsync(TvRequest request, Func<Bar, Task> onBar, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = await auth.GetTokenAsync(cancellationToken);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", settings.Origin);
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
                await socket.ConnectAsync(new Uri(settings.WebSocketUrl), connecting.Token);
            }

            var session = new TvSession(socket, request with { Bars = 2 }, settings, time, onBar);
            await session.StartAsync(token, cancellationToken);
            await session.ReceiveAsync(cancellationToken);
        }
        catch (WebSocketException ex)
        {
            throw new TvException("disconnected", $"The TradingView stream for {request.FullSymbol} dropped: {ex.Message}", transient: true, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"TradingView did not accept the stream for {request.FullSymbol} in time.", transient: true);
        }
    }

    private async Task<TvSeries> FetchOnceAsync(TvRequest request, TradingViewOptions settings, CancellationToken cancellationToken)
    {
        var token = await auth.GetTokenAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", settings.Origin);
        try
        {
            await socket.ConnectAsync(new Uri(settings.WebSocketUrl), deadline.Token);
            var session = new TvSession(socket, request, settings, time);
            await session.StartAsync(token, deadline.Token);
            return await session.ReceiveAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TvException("timeout", $"TradingView did not complete {request.FullSymbol} {request.Timeframe.Code} within {settings.TimeoutSeconds} s.", transient: true);
        }
        catch (WebSocketException ex)
        {
            throw new TvException("disconnected", $"The TradingView connection failed for {request.FullSymbol}: {ex.Message}", transient: true, ex);
        }
        finally
        {
            if (socket.State == WebSocketState.Open)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token);
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
                {
                    // Closing politely is a courtesy; the answer is already in hand.
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TradingView {Symbol}: attempt {Attempt} failed ({Kind}: {Error}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string symbol, int attempt, string kind, string error, double delayMs);
}
