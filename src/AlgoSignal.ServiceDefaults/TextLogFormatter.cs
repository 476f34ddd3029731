using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace AlgoSignal.ServiceDefaults;

/// <summary>
/// The readable text format: one line per event, whatever its values hold. The line itself is
/// escaped (a template written with outside text included), and an exception's lines are indented
/// so that no line of a stack trace or exception message can pass for an entry of its own.
/// </summary>
public sealed class TextLogFormatter : ITextFormatter
{
    public const string Indent = "    ";

    private readonly MessageTemplateTextFormatter _line = new("[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}");

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _line.Format(logEvent, line);
        output.Write(LogText.Escape(line.ToString()));
        output.Write('\n');
        if (logEvent.Exception is not { } exception)
        {
            return;
        }

        foreach (var part in exception.ToString().Split('\n'))
        {
            output.Write(Indent);
            output.Write(LogText.Escape(part.TrimEnd('\r')));
            output.Write('\n');
        }
    }
}
