using FluentValidation;

namespace AlgoSignal.Domain.Alerts;

/// <summary>Every rule of the alert table (README, "Alert fields"); error names are the wire field names.</summary>
public sealed class AlertPayloadValidator : AbstractValidator<AlertPayload>
{
    private const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
    private const string SymbolPattern = @"^([A-Z0-9_.]{1,32}:)?[A-Z0-9][A-Z0-9._!/&-]{0,39}$";

    public AlertPayloadValidator(bool requireStrategy)
    {
        if (requireStrategy)
        {
            RuleFor(a => a.Strategy).NotEmpty().OverridePropertyName("strategy")
                .WithMessage("\"strategy\" is required: the name of a registered strategy.");
        }

        RuleFor(a => a.Strategy).Matches(NamePattern).When(a => !string.IsNullOrEmpty(a.Strategy)).OverridePropertyName("strategy")
            .WithMessage("\"strategy\" must be 1–64 letters, digits, '-', '_' or '.'.");

        RuleFor(a => a.Action).NotEmpty().OverridePropertyName("action")
            .WithMessage("\"action\" is required: one of " + string.Join(", ", AlertActions.All) + ".");
        RuleFor(a => a.Action).Must(AlertActions.All.Contains).When(a => a.Action.Length > 0).OverridePropertyName("action")
            .WithMessage(a => $"\"action\" \"{Clip(a.Action)}\" is not known; use one of {string.Join(", ", AlertActions.All)}.");

        RuleFor(a => a.Symbol).NotEmpty().OverridePropertyName("symbol")
            .WithMessage("\"symbol\" is required, e.g. \"BTCUSDT\" or \"BINANCE:BTCUSDT\".");
        RuleFor(a => a.Symbol).Matches(SymbolPattern).When(a => a.Symbol.Length > 0).OverridePropertyName("symbol")
            .WithMessage(a => $"\"symbol\" \"{Clip(a.Symbol)}\" is not a symbol; write \"BTCUSDT\" or \"BINANCE:BTCUSDT\".");
        RuleFor(a => a.Exchange).Matches("^[A-Z0-9_.]{1,32}$").When(a => a.Exchange is not null).OverridePropertyName("exchange")
            .WithMessage("\"exchange\" must be 1–32 letters, digits, '_' or '.', e.g. \"BINANCE\".");

        RuleFor(a => a.AlertId).MaximumLength(128).OverridePropertyName("alert_id")
            .WithMessage("\"alert_id\" must be at most 128 characters.");
        RuleFor(a => a.AlertId).Must(IsPrintable).When(a => a.AlertId is not null).OverridePropertyName("alert_id")
            .WithMessage("\"alert_id\" must be printable characters only: no line breaks, tabs or other control or formatting characters.");

        Positive(a => a.Price, "price");
        Positive(a => a.Quantity, "quantity");
        Positive(a => a.LimitPrice, "limit_price");
        Positive(a => a.StopPrice, "stop_price");
        Positive(a => a.TakeProfit, "take_profit");
        Positive(a => a.StopLoss, "stop_loss");

        RuleFor(a => a.OrderType).Must(AlertOrderTypes.All.Contains).OverridePropertyName("order_type")
            .WithMessage(a => $"\"order_type\" \"{Clip(a.OrderType)}\" is not known; use market, limit, stop or stop_limit.");
        RuleFor(a => a.LimitPrice).NotNull().When(a => a.OrderType is AlertOrderTypes.Limit or AlertOrderTypes.StopLimit).OverridePropertyName("limit_price")
            .WithMessage(a => $"\"limit_price\" is required for a {a.OrderType} order.");
        RuleFor(a => a.StopPrice).NotNull().When(a => a.OrderType is AlertOrderTypes.Stop or AlertOrderTypes.StopLimit).OverridePropertyName("stop_price")
            .WithMessage(a => $"\"stop_price\" is required for a {a.OrderType} order.");

        RuleFor(a => a.TimeInForce).Must(AlertTimeInForce.All.Contains).OverridePropertyName("time_in_force")
            .WithMessage(a => $"\"time_in_force\" \"{Clip(a.TimeInForce)}\" is not known; use day, gtc, ioc or fok.");

        RuleFor(a => a.MarketPosition).Must(p => AlertActions.MarketPositions.Contains(p!)).When(a => a.MarketPosition is not null)
            .OverridePropertyName("market_position").WithMessage("\"market_position\" must be long, flat or short ({{strategy.market_position}}).");
        RuleFor(a => a.PrevMarketPosition).Must(p => AlertActions.MarketPositions.Contains(p!)).When(a => a.PrevMarketPosition is not null)
            .OverridePropertyName("prev_market_position").WithMessage("\"prev_market_position\" must be long, flat or short ({{strategy.prev_market_position}}).");

        RuleFor(a => a.Timeframe).MaximumLength(16).OverridePropertyName("timeframe").WithMessage("\"timeframe\" must be at most 16 characters.");
        RuleFor(a => a.Time).MaximumLength(64).OverridePropertyName("time").WithMessage("\"time\" must be at most 64 characters.");
        RuleFor(a => a.Message).MaximumLength(1024).OverridePropertyName("message").WithMessage("\"message\" must be at most 1,024 characters.");
        RuleFor(a => a.Account).Matches(NamePattern).When(a => a.Account is not null).OverridePropertyName("account")
            .WithMessage("\"account\" must be 1–64 letters, digits, '-', '_' or '.'.");
    }

    private void Positive(System.Linq.Expressions.Expression<Func<AlertPayload, decimal?>> field, string name) =>
        // Comparison rules pass on null: an absent optional field is fine.
        RuleFor(field).GreaterThan(0m).OverridePropertyName(name)
            .WithMessage($"\"{name}\" must be greater than zero.");

    /// <summary>
    /// The sender's id is shown in logs, the console and reasons: a line break or a bidirectional
    /// override in it could forge a log line or disguise what an operator reads.
    /// </summary>
    private static bool IsPrintable(string? value) => value is null || value.All(c => char.GetUnicodeCategory(c) is not
        (System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator));

    private static string Clip(string value) => StorableText.Clip(value, 32);
}
