using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlgoSignal.Domain;

/// <summary>The wire format of every JSON AlgoSignal writes or stores: snake_case, enums as strings.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions SnakeCase = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
