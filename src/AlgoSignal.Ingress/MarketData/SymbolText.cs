namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// What an exchange and a symbol may look like: printable ASCII from a short list and a bounded length,
/// so neither can carry a line break into a log line or grow a key without limit.
/// </summary>
public static class SymbolText
{
    public const int MaxExchange = 32;
    public const int MaxSymbol = 40;

    public const string Rule = "the exchange 1–32 letters, digits, _ or . and the symbol 1–40 letters, digits or . _ ! - / &";

    public static bool IsExchange(string text) => text.Length is > 0 and <= MaxExchange && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.');

    public static bool IsSymbol(string text) => text.Length is > 0 and <= MaxSymbol && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '!' or '-' or '/' or '&');

    /// <summary>A value to quote back in an error: itself when short and printable, otherwise a description of it.</summary>
    public static string Quote(string? text) =>
        text is { Length: <= 16 } && text.All(c => c is >= ' ' and <= '~' && c != '"') ? $"\"{text}\"" : "given";
}
