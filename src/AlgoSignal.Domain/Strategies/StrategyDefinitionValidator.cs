using System.Globalization;
using FluentValidation;

namespace AlgoSignal.Domain.Strategies;

/// <summary>Every rule a strategy must satisfy before it is stored; names are the wire (snake_case) names.</summary>
public sealed class StrategyDefinitionValidator : AbstractValidator<StrategyDefinition>
{
    public static readonly IReadOnlySet<string> Brokers = BrokerNames.All;
    public static readonly IReadOnlySet<string> Days = new HashSet<string>(StringComparer.Ordinal) { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
    private const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    // Bounds keep every product of the sizing (quantity × price, amount ÷ price, equity × percent) far
    // inside what a decimal order can hold, so no alert can overflow the arithmetic later.
    public const decimal MaxQuantity = 1_000_000_000_000m;
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    public StrategyDefinitionValidator()
    {
        RuleFor(s => s.Name).Matches(NamePattern).OverridePropertyName("name")
            .WithMessage("\"name\" must be 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        RuleFor(s => s.Mode).Must(m => m is StrategyModes.Paper or StrategyModes.Live).OverridePropertyName("mode")
            .WithMessage("\"mode\" must be \"paper\" or \"live\".");
        RuleFor(s => s.Routes).NotEmpty().OverridePropertyName("routes").WithMessage("\"routes\" needs at least one {\"broker\",\"account\"}.");
        RuleFor(s => s.Routes).Must(r => r.Distinct().Count() == r.Count).OverridePropertyName("routes").WithMessage("\"routes\" lists the same broker and account twice.");
        RuleForEach(s => s.Routes).ChildRules(route =>
        {
            route.RuleFor(r => r.Broker).Must(Brokers.Contains).OverridePropertyName("broker")
                .WithMessage(r => $"\"{r.Broker}\" is not a broker; use {string.Join(", ", Brokers)}.");
            route.RuleFor(r => r.Account).Matches(NamePattern).OverridePropertyName("account")
                .WithMessage("\"account\" must be 1–64 letters, digits, '-', '_' or '.'.");
        }).OverridePropertyName("routes");
        RuleForEach(s => s.Symbols).Matches(@"^([A-Za-z0-9_.]{1,32}:)?[A-Za-z0-9][A-Za-z0-9._!/&-]{0,39}$").OverridePropertyName("symbols")
            .WithMessage("each of \"symbols\" must look like \"BTCUSDT\" or \"BINANCE:BTCUSDT\".");
        RuleForEach(s => s.Timeframes).Matches("^[A-Za-z0-9]{1,8}$").OverridePropertyName("timeframes")
            .WithMessage("each of \"timeframes\" must be like \"15\", \"1h\" or \"1D\".");

        RuleFor(s => s.Sizing).NotNull().OverridePropertyName("sizing");
        RuleFor(s => s.Sizing.Mode).Must(m => m is SizingModes.Fixed or SizingModes.Notional or SizingModes.PercentEquity or SizingModes.RiskPercent)
            .OverridePropertyName("sizing.mode").WithMessage("\"sizing.mode\" must be fixed, notional, percent_equity or risk_percent.");
        RuleFor(s => s.Sizing.Quantity).NotNull().GreaterThan(0m).LessThanOrEqualTo(MaxQuantity).When(s => s.Sizing.Mode == SizingModes.Fixed)
            .OverridePropertyName("sizing.quantity").WithMessage("fixed sizing needs \"sizing.quantity\" above 0 and at most 1,000,000,000,000.");
        RuleFor(s => s.Sizing.Amount).NotNull().GreaterThan(0m).LessThanOrEqualTo(MaxAmount).When(s => s.Sizing.Mode == SizingModes.Notional)
            .OverridePropertyName("sizing.amount").WithMessage("notional sizing needs \"sizing.amount\" above 0 and at most 1,000,000,000,000,000.");
        RuleFor(s => s.Sizing.Quantity).GreaterThan(0m).LessThanOrEqualTo(MaxQuantity).When(s => s.Sizing.Mode != SizingModes.Fixed)
            .OverridePropertyName("sizing.quantity").WithMessage("\"sizing.quantity\" must be above 0 and at most 1,000,000,000,000, or null.");
        RuleFor(s => s.Sizing.Amount).GreaterThan(0m).LessThanOrEqualTo(MaxAmount).When(s => s.Sizing.Mode != SizingModes.Notional)
            .OverridePropertyName("sizing.amount").WithMessage("\"sizing.amount\" must be above 0 and at most 1,000,000,000,000,000, or null.");
        RuleFor(s => s.Sizing.Percent).GreaterThan(0m).LessThanOrEqualTo(100m)
            .When(s => s.Sizing.Mode is not (SizingModes.PercentEquity or SizingModes.RiskPercent))
            .OverridePropertyName("sizing.percent").WithMessage("\"sizing.percent\" must be above 0 and at most 100, or null.");
        RuleFor(s => s.Sizing.Percent).NotNull().GreaterThan(0m).LessThanOrEqualTo(100m)
            .When(s => s.Sizing.Mode is SizingModes.PercentEquity or SizingModes.RiskPercent)
            .OverridePropertyName("sizing.percent").WithMessage("percent sizing needs \"sizing.percent\" above 0 and at most 100.");

        RuleFor(s => s.RiskMultiplier).GreaterThan(0m).LessThanOrEqualTo(100m).OverridePropertyName("risk_multiplier")
            .WithMessage("\"risk_multiplier\" must be above 0 and at most 100.");
        RuleFor(s => s.MaxPositions).InclusiveBetween(1, 10_000).OverridePropertyName("max_positions").WithMessage("\"max_positions\" must be from 1 to 10,000.");
        RuleFor(s => s.MaxPositionQuantity).GreaterThan(0m).LessThanOrEqualTo(MaxQuantity).OverridePropertyName("max_position_quantity")
            .WithMessage("\"max_position_quantity\" must be above 0 and at most 1,000,000,000,000, or null (no limit).");
        RuleFor(s => s.MaxOrderNotional).GreaterThan(0m).LessThanOrEqualTo(MaxAmount).OverridePropertyName("max_order_notional")
            .WithMessage("\"max_order_notional\" must be above 0 and at most 1,000,000,000,000,000, or null (no limit).");
        RuleFor(s => s.MaxDailyLoss).GreaterThan(0m).LessThanOrEqualTo(MaxAmount).OverridePropertyName("max_daily_loss")
            .WithMessage("\"max_daily_loss\" must be above 0 and at most 1,000,000,000,000,000, or null (no limit).");
        RuleFor(s => s.MaxOrdersPerMinute).InclusiveBetween(0, 100_000).OverridePropertyName("max_orders_per_minute")
            .WithMessage("\"max_orders_per_minute\" must be 0 (no limit) to 100,000.");
        RuleFor(s => s.MaxSignalAgeSeconds).InclusiveBetween(0, 604_800).OverridePropertyName("max_signal_age_seconds")
            .WithMessage("\"max_signal_age_seconds\" must be 0 (no limit) to 604,800 (a week).");
        RuleFor(s => s.Pyramiding).InclusiveBetween(1, 1_000).OverridePropertyName("pyramiding").WithMessage("\"pyramiding\" must be from 1 to 1,000.");

        When(s => s.TradingWindow is not null, () =>
        {
            RuleFor(s => s.TradingWindow!.Start).Must(IsTime).OverridePropertyName("trading_window.start").WithMessage("\"trading_window.start\" must be HH:mm, e.g. \"09:30\".");
            RuleFor(s => s.TradingWindow!.End).Must(IsTime).OverridePropertyName("trading_window.end").WithMessage("\"trading_window.end\" must be HH:mm, e.g. \"16:00\".");
            RuleFor(s => s.TradingWindow!.Timezone).Must(IsTimeZone).OverridePropertyName("trading_window.timezone")
                .WithMessage(s => $"\"trading_window.timezone\" \"{s.TradingWindow!.Timezone}\" is not a known IANA time zone (e.g. \"America/New_York\").");
            RuleFor(s => s.TradingWindow!.Days).NotEmpty().Must(d => d is not null && d.All(Days.Contains)).OverridePropertyName("trading_window.days")
                .WithMessage("\"trading_window.days\" must list days as mon, tue, wed, thu, fri, sat, sun.");
        });
    }

    private static bool IsTime(string? value) => value is not null && TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsTimeZone(string? value) => value is not null && TimeZoneInfo.TryFindSystemTimeZoneById(value, out _);
}
