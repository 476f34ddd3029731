using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlgoSignal.Worker.Notifications;

/// <summary>
/// Delivers the notifications table, channel by channel, oldest first (README, Notifications). Each round of a
/// channel runs in one transaction that holds the channel's advisory lock and claims its due rows with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several workers never send the same row. A channel sends at most
/// <c>Notifications:MaxPerMinute</c> messages a minute: when more are due than it may still send, the last
/// message it may send is a summary carrying all the rest ("… and 187 more"). A failure rests the channel
/// (2, 4, 8… seconds up to <c>MaxBackoffSeconds</c>, or exactly the <c>retry_after</c> the channel asked for)
/// and keeps its backlog, in order, for when it is back.
/// The retry lives in the table rather than in an in-process policy (Polly): a retry must survive a restart, must
/// not hold the channel's claim while it waits, and must wait exactly as long as the channel asked (Telegram's
/// <c>retry_after</c>), which the stored <c>paused_until</c> does.
/// </summary>
/// <remarks>Here the loop over channels; one round's delivery and folding are in <c>NotificationDispatcher.Delivery.cs</c>, claiming due rows and the SQL helpers in <c>NotificationDispatcher.Claims.cs</c>.</remarks>
public sealed partial class NotificationDispatcher(
    NpgsqlDataSource database,
    IEnumerable<INotificationSender> senders,
    IOptions<NotificationOptions> options,
    DailySummary daily,
    AlgoSignalMetrics metrics,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    /// <summary>How many due rows one round of a channel considers (a larger backlog is folded over several minutes).</summary>
    public const int RoundSize = 500;

    /// <summary>How many folded notifications a summary message lists line by line before it only counts them.</summary>
    public const int SummaryLines = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var channels = options.Value.Channels();
        if (channels.Count == 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(0.05, options.Value.PollIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await daily.QueueIfDueAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogRoundFailed(logger, NotificationEvents.SummaryDaily, ex.Message);
            }

            foreach (var channel in channels)
            {
                try
                {
                    await DeliverAsync(channel, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(logger, channel.Name, Redact(ex.Message));
                }
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Any configured secret in a text that is stored or logged becomes <c>***</c>.</summary>
    private string Redact(string text)
    {
        foreach (var secret in options.Value.Secrets())
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text.Length > 1000 ? text[..1000] + "…" : text;
    }

    public sealed record Due(long Id, int Attempts, OutgoingNotification Message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: the delivery round failed ({Error}); it is tried again")]
    private static partial void LogRoundFailed(ILogger logger, string channel, string error);
}
