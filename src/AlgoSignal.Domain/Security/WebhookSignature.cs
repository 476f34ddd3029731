using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlgoSignal.Domain.Security;

/// <summary>
/// The <c>X-AlgoSignal-Signature</c> scheme: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=…]</c> where hex is
/// lowercase HMAC-SHA256(secret, "&lt;t&gt;." + raw body). Several <c>v1</c> values and several
/// configured secrets allow rotation without downtime.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-AlgoSignal-Signature";
    private const int MaxHeaderLength = 2048;
    private const int MaxSignatures = 8;

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var mac = ComputeMac(Encoding.UTF8.GetBytes(secret), unixSeconds, body);
        return Convert.ToHexStringLower(mac);
    }

    public static string Header(string secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, unixSeconds, body)}";

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        if (header.Length > MaxHeaderLength || !TryParse(header, out var timestamp, out var candidates))
        {
            return SignatureCheck.Malformed;
        }

        var skew = Math.Abs(now.ToUnixTimeSeconds() - timestamp);
        if (skew > (long)tolerance.TotalSeconds)
        {
            return SignatureCheck.Stale;
        }

        var matched = false;
        foreach (var secret in secrets)
        {
            var expected = ComputeMac(Encoding.UTF8.GetBytes(secret), timestamp, body);
            foreach (var candidate in candidates)
            {
                // Every comparison runs, whatever matched earlier: timing reveals nothing.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return matched ? SignatureCheck.Valid : SignedWithEmptySecret(timestamp, body, candidates) ? SignatureCheck.EmptySecret : SignatureCheck.Mismatch;
    }

    /// <summary>
    /// A sender whose secret variable is unset signs with an empty key; recognising that signature
    /// lets the answer name the real cause instead of a bare mismatch. Configured secrets are never
    /// empty, so this reveals nothing about them.
    /// </summary>
    private static bool SignedWithEmptySecret(long timestamp, ReadOnlySpan<byte> body, List<byte[]> candidates)
    {
        var empty = ComputeMac([], timestamp, body);
        var found = false;
        foreach (var candidate in candidates)
        {
            found |= CryptographicOperations.FixedTimeEquals(empty, candidate);
        }

        return found;
    }

    private static byte[] ComputeMac(byte[] key, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryParse(string header, out long timestamp, out List<byte[]> candidates)
    {
        timestamp = 0;
        candidates = [];
        var haveTimestamp = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var key = part[..eq];
            var value = part[(eq + 1)..];
            if (key == "t")
            {
                if (haveTimestamp || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
                {
                    return false;
                }

                haveTimestamp = true;
            }
            else if (key == "v1")
            {
                if (value.Length != 64 || candidates.Count >= MaxSignatures)
                {
                    return false;
                }

                try
                {
                    candidates.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    return false;
                }
            }

            // Other schemes (v0, v2…) are ignored so senders can add new ones alongside v1.
        }

        return haveTimestamp && candidates.Count > 0;
    }
}
