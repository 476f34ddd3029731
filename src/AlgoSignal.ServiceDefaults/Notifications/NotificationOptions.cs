using AlgoSignal.Domain.Notifications;

namespace AlgoSignal.ServiceDefaults.Notifications;

/// <summary><c>Notifications:*</c>: the channels that hear of trading events, and how politely they are told (README, Notifications).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public List<WebhookChannelOptions> Webhooks { get; set; } = [];

    public TelegramChannelOptions Telegram { get; set; } = new();

    public EmailChannelOptions Email { get; set; } = new();

    /// <summary>At most this many messages a minute per channel; a burst beyond it is folded into one summary message.</summary>
    public int MaxPerMinute { get; set; } = 20;

    /// <summary>How often the worker looks for notifications to deliver.</summary>
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>A failing channel rests 2, 4, 8… seconds between attempts, never longer than this.</summary>
    public double MaxBackoffSeconds { get; set; } = 300;

    /// <summary>A notification refused this many times is given up as <c>failed</c> (its channel's other notifications carry on).</summary>
    public int MaxAttempts { get; set; } = 50;

    /// <summary>When (UTC time of day) <c>summary.daily</c> is queued for the channels that subscribe to it.</summary>
    public TimeSpan DailySummaryAt { get; set; } = new(21, 0, 0);

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Every configured channel with the events it hears, named as the notifications table names them.</summary>
    public IReadOnlyList<ChannelSubscription> Channels()
    {
        var channels = new List<ChannelSubscription>();
        for (var i = 0; i < Webhooks.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(Webhooks[i].Url))
            {
                channels.Add(new ChannelSubscription($"{NotificationChannelKinds.Webhook}:{i}", NotificationChannelKinds.Webhook, Subscribed(Webhooks[i].Events)));
            }
        }

        if (!string.IsNullOrWhiteSpace(Telegram.BotToken) && !string.IsNullOrWhiteSpace(Telegram.ChatId))
        {
            channels.Add(new ChannelSubscription(NotificationChannelKinds.Telegram, NotificationChannelKinds.Telegram, Subscribed(Telegram.Events)));
        }

        if (!string.IsNullOrWhiteSpace(Email.Host) && Email.To.Count > 0)
        {
            channels.Add(new ChannelSubscription(NotificationChannelKinds.Email, NotificationChannelKinds.Email, Subscribed(Email.Events)));
        }

        return channels;
    }

    /// <summary>Every secret of the configuration (webhook URLs too: Slack's and Discord's are credentials), blanked out of any text that leaves the process.</summary>
    public IEnumerable<string> Secrets() =>
        Webhooks.SelectMany(w => new[] { w.Secret, w.Url }).Append(Telegram.BotToken).Append(Email.Password).OfType<string>().Where(s => s.Length > 0);

    private static HashSet<string> Subscribed(List<string> events) =>
        new(events.Count == 0 ? NotificationEvents.Default : events, StringComparer.Ordinal);

    /// <summary>Names the first problem of the configuration, or null when it is usable.</summary>
    public string? Problem()
    {
        if (MaxPerMinute < 2)
        {
            return "Notifications:MaxPerMinute must be at least 2 (one message and one summary of the rest).";
        }

        for (var i = 0; i < Webhooks.Count; i++)
        {
            var webhook = Webhooks[i];
            if (!string.IsNullOrWhiteSpace(webhook.Url) && !(Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                return $"Notifications:Webhooks:{i}:Url must be an absolute http(s) URL.";
            }

            if (webhook.Format is not (WebhookFormats.Json or WebhookFormats.Slack or WebhookFormats.Discord))
            {
                return $"Notifications:Webhooks:{i}:Format must be json, slack or discord.";
            }

            if (UnknownEvent(webhook.Events) is { } unknown)
            {
                return $"Notifications:Webhooks:{i}:Events names \"{unknown}\", which is not an event; use {string.Join(", ", NotificationEvents.All)}.";
            }
        }

        if (!(Uri.TryCreate(Telegram.ApiBaseUrl, UriKind.Absolute, out var telegram) && telegram.Scheme is "http" or "https"))
        {
            return "Notifications:Telegram:ApiBaseUrl must be an absolute http(s) URL.";
        }

        return UnknownEvent(Telegram.Events) is { } t ? $"Notifications:Telegram:Events names \"{t}\", which is not an event; use {string.Join(", ", NotificationEvents.All)}."
            : UnknownEvent(Email.Events) is { } e ? $"Notifications:Email:Events names \"{e}\", which is not an event; use {string.Join(", ", NotificationEvents.All)}."
            : !string.IsNullOrWhiteSpace(Email.Host) && Email.To.Count > 0 && string.IsNullOrWhiteSpace(Email.From) ? "Notifications:Email:From is required when Notifications:Email:Host and :To are set."
            : null;
    }

    private static string? UnknownEvent(List<string> events) => events.FirstOrDefault(e => !NotificationEvents.IsKnown(e));
}

/// <summary>A configured channel: its name (<c>webhook:0</c>, <c>telegram</c>, <c>email</c>), kind and the events it hears.</summary>
public sealed record ChannelSubscription(string Name, string Kind, IReadOnlySet<string> Events)
{
    public bool Hears(string notificationEvent) => notificationEvent == NotificationEvents.Test || Events.Contains(notificationEvent);
}

public static class WebhookFormats
{
    public const string Json = "json";
    public const string Slack = "slack";
    public const string Discord = "discord";
}

public sealed class WebhookChannelOptions
{
    public string? Url { get; set; }

    /// <summary>When set, each request carries <c>X-AlgoSignal-Signature</c> made with it, as the ingress verifies its own.</summary>
    public string? Secret { get; set; }

    public List<string> Events { get; set; } = [];

    public string Format { get; set; } = WebhookFormats.Json;
}

public sealed class TelegramChannelOptions
{
    public string? BotToken { get; set; }

    public string? ChatId { get; set; }

    public List<string> Events { get; set; } = [];

    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";
}

public sealed class EmailChannelOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public List<string> To { get; set; } = [];

    public List<string> Events { get; set; } = [];

    /// <summary>TLS required (STARTTLS, or TLS from the start on port 465); false only for a relay on a trusted network.</summary>
    public bool UseTls { get; set; } = true;
}
