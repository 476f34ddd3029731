using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlgoSignal.Domain;

/// <summary>The wire format of every JSON AlgoSignal writes or stores: snake_case, enums as strings.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions SnakeCase = Create(strict: false);

    /// <summary>For request bodies: an unknown field is an error, not silently ignored.</summary>
    public static readonly JsonSerializerOptions Strict = Create(strict: true);

    private static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            RespectNullableAnnotations = strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
