using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// JSON merge patch (RFC 7396): an object merges member by member, null removes a member, anything else
/// (arrays included) replaces the target.
/// </summary>
public static class JsonMergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static JsonNode? Apply(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonNode.Parse(patch.GetRawText());
        }

        var result = target as JsonObject ?? [];
        foreach (var member in patch.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                result.Remove(member.Name);
                continue;
            }

            var current = result[member.Name];
            result.Remove(member.Name);
            result[member.Name] = Apply(current, member.Value);
        }

        return result;
    }
}
