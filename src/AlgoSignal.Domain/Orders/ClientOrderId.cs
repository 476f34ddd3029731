using System.Security.Cryptography;
using System.Text;

namespace AlgoSignal.Domain.Orders;

/// <summary>
/// The id every broker request carries. Derived only from the alert, the leg and the route, so a
/// retry or a redelivered message asks for the same order again and the broker (or our unique key)
/// recognises it. 32 characters of [a-z0-9] fit every supported broker's limit (Bybit orderLinkId ≤ 36).
/// </summary>
public static class ClientOrderId
{
    public static string For(Guid alertId, int leg, string broker, string account)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{alertId:N}|{leg}|{broker}|{account}"));
        return "as" + Convert.ToHexStringLower(hash)[..30];
    }

    /// <summary>The id of a bracket child (<c>take_profit</c> / <c>stop_loss</c>) of an order.</summary>
    public static string Child(string parentClientOrderId, string role)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{parentClientOrderId}|{role}"));
        return "as" + Convert.ToHexStringLower(hash)[..30];
    }
}
