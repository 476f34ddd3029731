using System.Globalization;
using System.Text;

namespace AlgoSignal.ServiceDefaults;

/// <summary>
/// Makes a logged value one visible line: a value that came from outside (an alert's text, a reason
/// quoting it, an exception message) must not start a line of its own that reads like a real
/// entry, nor hide text with terminal escapes or bidirectional overrides.
/// </summary>
public static class LogText
{
    public static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>\r</c>, <c>\n</c>, <c>\t</c> as those two characters; every other unsafe character as <c>\uXXXX</c>.</summary>
    public static string Escape(string text)
    {
        if (!NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
