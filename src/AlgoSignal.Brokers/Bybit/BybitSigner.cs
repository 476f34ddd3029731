using System.Security.Cryptography;
using System.Text;

namespace AlgoSignal.Brokers.Bybit;

/// <summary>
/// Bybit V5 signing: lowercase hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + payload), where
/// payload is the exact JSON bytes sent (POST) or the exact query string (GET) — serialise once, sign and
/// send those same bytes (Bybit V5 guide, "authentication").
/// </summary>
public static class BybitSigner
{
    public static string Sign(string secret, long timestampMs, string apiKey, int recvWindowMs, ReadOnlySpan<byte> payload)
    {
        var prefix = Encoding.UTF8.GetBytes($"{timestampMs}{apiKey}{recvWindowMs}");
        var message = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(message, 0);
        payload.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
