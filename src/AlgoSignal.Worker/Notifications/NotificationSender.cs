namespace AlgoSignal.Worker.Notifications;

/// <summary>One message as a channel sends it: a single notification, or the summary of a burst.</summary>
public sealed record OutgoingNotification(
    string Event, DateTimeOffset OccurredAt, Guid? AlertId, string? Strategy, string? Symbol, string Text, string Data);

/// <summary>How a send went: delivered, or refused with a reason and, when the channel said so, how long to wait.</summary>
public sealed record SendResult(bool Delivered, string? Error, TimeSpan? RetryAfter)
{
    public static SendResult Ok { get; } = new(true, null, null);

    public static SendResult Failed(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);
}

/// <summary>A kind of channel (webhook, Telegram, email) that can carry a message to one configured channel.</summary>
public interface INotificationSender
{
    string Kind { get; }

    Task<SendResult> SendAsync(string channel, OutgoingNotification message, CancellationToken cancellationToken);
}
