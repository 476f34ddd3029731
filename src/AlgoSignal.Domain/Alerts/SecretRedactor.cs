using System.Text;
using System.Text.Json;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Writes a JSON body back with the values of secret-looking keys replaced — the whole value, at any
/// depth, whatever it holds (<c>"auth":{"pass":"…"}</c>, <c>"credentials":[…]</c>) — so that what is
/// stored or shown never carries a credential a user pasted into an alert. Strings that cannot be
/// stored (NUL, unpaired surrogates) are written with U+FFFD in their place.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Matched anywhere in the key, case-insensitively, separators removed (<c>clientSecret</c>, <c>x-api-key</c>).</summary>
    private static readonly string[] SecretMarkers =
    [
        "secret", "password", "passwd", "passphrase", "passcode", "token", "apikey", "accesskey", "privatekey",
        "signature", "private", "credential", "auth", "session", "cookie", "bearer", "hmac", "jwt",
    ];

    /// <summary>Matched as a whole word of the key (<c>user_key</c>, <c>accessKey</c>, <c>sig</c>), so that <c>signal</c> or <c>monkey</c> stay readable.</summary>
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "key", "pin", "pwd", "pass", "sig", "otp", "totp", "mfa", "2fa", "cvv", "cvc", "salt", "nonce",
    };

    public static bool IsSecretKey(string key)
    {
        var words = Words(key);
        if (words.Any(SecretWords.Contains))
        {
            return true;
        }

        var joined = string.Concat(words);
        return SecretMarkers.Any(m => joined.Contains(m, StringComparison.Ordinal));
    }

    public static string Redact(JsonElement element)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, element);
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The lower-case words of a key: split at '_', '-', '.', spaces and camelCase humps.</summary>
    private static List<string> Words(string key)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }

            if (char.IsUpper(c) && i > 0 && char.IsLower(key[i - 1]))
            {
                Flush();
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    var name = StorableText.ReadName(property, out _);
                    writer.WritePropertyName(name);
                    if (IsSecretKey(name))
                    {
                        writer.WriteStringValue(Mask);
                    }
                    else
                    {
                        Write(writer, property.Value);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(StorableText.Read(element, out _));
                break;
            case JsonValueKind.Number when !AlertNumbers.IsStorable(element.GetRawText()):
                // Such a body is refused, but its stored copy must still be accepted by jsonb.
                var raw = element.GetRawText();
                writer.WriteStringValue(raw.Length <= 64 ? raw : raw[..64] + "…");
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
