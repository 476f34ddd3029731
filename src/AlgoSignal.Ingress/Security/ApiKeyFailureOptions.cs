using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Ingress.Security;

/// <summary><c>Api:AuthFailures:*</c>: how many wrong API keys one client address may send per window.</summary>
public sealed class ApiKeyFailureOptions
{
    public const string Section = "Api:AuthFailures";

    /// <summary>Wrong keys from one address within a window before it is refused with 429; 0 turns the limit off.</summary>
    [Range(0, 1_000_000, ErrorMessage = "Api:AuthFailures:PerSource must be 0 (off) or more.")]
    public int PerSource { get; set; } = 20;

    /// <summary>The window, in seconds, that starts with an address's first wrong key; also the logging interval.</summary>
    [Range(1, 86_400, ErrorMessage = "Api:AuthFailures:WindowSeconds must be between 1 and 86400.")]
    public int WindowSeconds { get; set; } = 60;
}
