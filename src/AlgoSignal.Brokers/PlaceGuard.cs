using System.Text.Json;

namespace AlgoSignal.Brokers;

/// <summary>What every broker adapter's <see cref="IBrokerAdapter.PlaceAsync"/> turns its failures into.</summary>
internal static class PlaceGuard
{
    /// <summary>
    /// Runs <paramref name="place"/>: an order the broker cannot express is rejected as "unsupported"; an
    /// answer in a shape the broker does not document is Unknown, because the order may exist and is then
    /// settled by its client order id.
    /// </summary>
    public static async Task<PlaceResult> RunAsync(string broker, Func<Task<PlaceResult>> place)
    {
        try
        {
            return await place();
        }
        catch (UnsupportedOrderException ex)
        {
            return PlaceResult.Rejected("unsupported", ex.Message);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return PlaceResult.Unknown($"{broker} answered in an unexpected shape ({ex.GetType().Name}); the order may have landed.");
        }
    }
}
