using System.Text.Json.Serialization;

namespace AlgoSignal.Brokers.Bybit.Wire;

// market/instruments-info: the rounding and minimums of an instrument.

/// <summary>A row of market/instruments-info: the rounding and minimums of one instrument.</summary>
public sealed class BybitInstrumentRow
{
    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }

    [JsonPropertyName("priceFilter")]
    public BybitPriceFilter? PriceFilter { get; init; }

    [JsonPropertyName("lotSizeFilter")]
    public BybitLotSizeFilter? LotSizeFilter { get; init; }
}

public sealed class BybitPriceFilter
{
    [JsonPropertyName("tickSize")]
    public decimal? TickSize { get; init; }
}

/// <summary>Derivatives carry <c>qtyStep</c> and <c>minNotionalValue</c>; spot <c>basePrecision</c> and <c>minOrderAmt</c>.</summary>
public sealed class BybitLotSizeFilter
{
    [JsonPropertyName("qtyStep")]
    public decimal? QtyStep { get; init; }

    [JsonPropertyName("basePrecision")]
    public decimal? BasePrecision { get; init; }

    [JsonPropertyName("minOrderQty")]
    public decimal? MinOrderQty { get; init; }

    [JsonPropertyName("minNotionalValue")]
    public decimal? MinNotionalValue { get; init; }

    [JsonPropertyName("minOrderAmt")]
    public decimal? MinOrderAmt { get; init; }
}
