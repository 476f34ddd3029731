namespace AlgoSignal.Brokers;

/// <summary>
/// An order field a broker's mapping has no translation for. Mappings are exhaustive: anything they do not
/// know is refused before sending, never widened (an unknown type into a market order, a day order into GTC).
/// </summary>
public sealed class UnsupportedOrderException(string broker, string field, string value)
    : Exception($"{broker} has no mapping for {field} \"{value}\"; the order was not sent.")
{
    public string Field { get; } = field;
}
