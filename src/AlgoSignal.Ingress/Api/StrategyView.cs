using System.Text.Json.Serialization;
using AlgoSignal.Domain.Strategies;

namespace AlgoSignal.Ingress.Api;

/// <summary>
/// A strategy as the API answers it (documents the answer's schema): the definition's fields, then
/// whether a webhook token exists and when the strategy was created and last changed. The limits are
/// always written, null meaning "no limit", so an answer edited and sent back as a PUT is complete; the
/// token and its URL only in the answers that make a token.
/// </summary>
public sealed record StrategyView(
    string Name,
    bool Enabled,
    string Mode,
    IReadOnlyList<StrategyRoute> Routes,
    IReadOnlyList<string> Symbols,
    IReadOnlyList<string> Timeframes,
    SizingRule Sizing,
    decimal RiskMultiplier,
    int MaxPositions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? MaxPositionQuantity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? MaxOrderNotional,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] decimal? MaxDailyLoss,
    int MaxOrdersPerMinute,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] TradingWindow? TradingWindow,
    int MaxSignalAgeSeconds,
    bool AllowShort,
    int Pyramiding,
    bool HasWebhookToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? WebhookToken = null,
    string? WebhookUrl = null)
{
    public static StrategyView Of(StrategyDefinition d, bool hasWebhookToken, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new(
        d.Name, d.Enabled, d.Mode, d.Routes, d.Symbols, d.Timeframes, d.Sizing, d.RiskMultiplier, d.MaxPositions, d.MaxPositionQuantity, d.MaxOrderNotional,
        d.MaxDailyLoss, d.MaxOrdersPerMinute, d.TradingWindow, d.MaxSignalAgeSeconds, d.AllowShort, d.Pyramiding, hasWebhookToken, createdAt, updatedAt);
}
