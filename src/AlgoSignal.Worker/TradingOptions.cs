namespace AlgoSignal.Worker;

/// <summary><c>Trading:*</c>. Live trading is off unless turned on here and in the strategy.</summary>
public sealed class TradingOptions
{
    public const string Section = "Trading";

    public bool LiveEnabled { get; set; }

    /// <summary>How long a sender's <c>alert_id</c> or a payload fingerprint marks a repeat (<c>Webhook:DedupeWindow</c>).</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>With the kill switch on, exits (closing orders) still go through.</summary>
    public bool KillSwitchAllowsExits { get; set; } = true;

    /// <summary>The time zone whose midnight starts an account's day (daily loss limit).</summary>
    public string DayBoundaryTimeZone { get; set; } = "UTC";
}
