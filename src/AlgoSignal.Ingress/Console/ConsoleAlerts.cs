using System.Text.Json;
using System.Text.Json.Nodes;
using AlgoSignal.Contracts;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Ingress.Webhooks;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// Queues an alert made by the console exactly as the webhook queues one: parsed by the same parser,
/// published as <see cref="AlertReceived"/> (source <see cref="Source"/>) on the strategy and symbol's
/// ordered lane with RabbitMQ's confirm — so 202 means durable here too, and the worker decides it like
/// any other alert.
/// </summary>
public sealed class ConsoleAlerts(WebhookServices services)
{
    public const string Source = "console";

    public async Task<IResult> QueueAsync(HttpContext http, string strategy, JsonObject body, CancellationToken cancellationToken)
    {
        body["strategy"] = strategy;
        var parsed = AlertParser.Parse(JsonSerializer.SerializeToUtf8Bytes(body), requireStrategy: true);
        if (!parsed.IsValid)
        {
            return JsonBody.Invalid(parsed.Errors.Select(e => (e.Field, e.Message)), "The alert would not be valid; every problem is listed.");
        }

        var now = services.Time.GetUtcNow();
        var message = new AlertReceived(Guid.CreateVersion7(now), now, Source, strategy, services.Addresses.ClientAddress(http)?.ToString(), parsed.RedactedJson!);
        if (!await services.Publisher.TryPublishAsync(message, AlertPartitioning.Partition(strategy, parsed.Payload!.Ticker, services.AlertPartitions), cancellationToken))
        {
            return TypedResults.Problem(
                detail: "The alert could not be queued durably in time; nothing was accepted. Retry.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Accepted($"/api/v1/alerts/{message.AlertId}", new QueuedAlert("accepted", message.AlertId));
    }
}
