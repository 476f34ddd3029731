using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.Ingress.Console;

/// <summary><c>Console:*</c>: the browser console's files, its sessions and its live stream (README, "Console").</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The built console (the Vite output). Empty: the <c>wwwroot</c> folder next to the ingress binaries.</summary>
    public string? Root { get; set; }

    /// <summary>How long a sign-in lasts, in hours; the session does not slide.</summary>
    [Range(1, 24 * 30, ErrorMessage = "Console:SessionHours must be between 1 and 720.")]
    public int SessionHours { get; set; } = 12;

    /// <summary>
    /// Where the keys that protect session cookies are kept. Every ingress behind one address must share
    /// the folder (a volume) so a cookie issued by one is read by all, and across restarts. Empty: the
    /// user's local application data (<c>~/.local/share/AlgoSignal/keys</c> on Linux).
    /// </summary>
    public string? KeysPath { get; set; }

    /// <summary>Live streams (<c>/api/v1/stream</c>) open at once; one more is refused with 503.</summary>
    [Range(1, 10_000, ErrorMessage = "Console:MaxStreams must be between 1 and 10000.")]
    public int MaxStreams { get; set; } = 50;

    /// <summary>Events waiting for one slow stream client; when full the client is dropped (it reconnects and reloads).</summary>
    [Range(8, 100_000, ErrorMessage = "Console:StreamBuffer must be between 8 and 100000.")]
    public int StreamBuffer { get; set; } = 256;

    public string ResolvedKeysPath() =>
        string.IsNullOrWhiteSpace(KeysPath)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "AlgoSignal", "keys")
            : Path.GetFullPath(KeysPath);

    public string ResolvedRoot() =>
        string.IsNullOrWhiteSpace(Root) ? Path.Combine(AppContext.BaseDirectory, "wwwroot") : Path.GetFullPath(Root);
}
