using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>What the webhook endpoints need, in one place.</summary>
public sealed class WebhookServices(
    AlertPublisher publisher,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    AddressRules addresses,
    WebhookRateLimiter rateLimiter,
    StrategyTokens tokens,
    WebhookLog log,
    WebhookClientFaults clientFaults,
    IOptions<AlgoSignal.ServiceDefaults.RabbitMqOptions> rabbit,
    ILogger<WebhookServices> logger)
{
    public AlertPublisher Publisher => publisher;

    public WebhookOptions Options => options.Value;

    public TimeProvider Time => time;

    public AddressRules Addresses => addresses;

    public WebhookRateLimiter RateLimiter => rateLimiter;

    public StrategyTokens Tokens => tokens;

    public WebhookLog Log => log;

    public WebhookClientFaults ClientFaults => clientFaults;

    public int AlertPartitions => rabbit.Value.AlertPartitions;

    public ILogger Logger => logger;
}
