using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Worker.Pipeline;

/// <summary><c>Reconciliation:*</c>: how often each live broker's positions and working orders are compared with AlgoSignal's books.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>Seconds between comparisons (the first runs at start). A drift is reported when two comparisons in a row see it.</summary>
    [Range(1, 86_400, ErrorMessage = "Reconciliation:IntervalSeconds must be between 1 and 86400.")]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>
    /// On: an order AlgoSignal marked unknown that reconciliation finds live at the broker is adopted again as accepted
    /// (and followed). Off (the default): it is only reported. Nothing else is ever corrected automatically.
    /// </summary>
    public bool AutoCorrect { get; set; }

    /// <summary>Off turns reconciliation off entirely (nothing is asked of the brokers).</summary>
    public bool Enabled { get; set; } = true;
}
