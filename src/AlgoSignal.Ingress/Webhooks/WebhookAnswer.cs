using AlgoSignal.Domain.Alerts;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>The JSON body of every webhook answer.</summary>
public sealed record WebhookAnswer(string Status, Guid? AlertId = null, IReadOnlyList<AlertError>? Errors = null)
{
    public static WebhookAnswer Rejected(string field, string message) => new("rejected", Errors: [new AlertError(field, message)]);
}
