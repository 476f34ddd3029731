using System.Text;
using System.Text.Json;

namespace AlgoSignal.Domain.Alerts;

/// <summary>
/// Writes a JSON body back with the values of secret-looking keys replaced, so that what is stored
/// or shown never carries a credential a user pasted into an alert.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "[redacted]";

    private static readonly string[] SecretMarkers =
    [
        "secret", "password", "passwd", "passphrase", "token", "api_key", "apikey", "api-key",
        "signature", "private", "credential", "auth", "session", "cookie",
    ];

    public static bool IsSecretKey(string key)
    {
        var lower = key.ToLowerInvariant();
        return lower is "key" or "pin" or "pwd" || SecretMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal));
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

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSecretKey(property.Name) && property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
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
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
