using Serilog.Core;
using Serilog.Events;

namespace AlgoSignal.ServiceDefaults;

/// <summary>Escapes control characters in every string a log event carries, whatever the output format.</summary>
public sealed class EscapingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escaped = Escape(value);
            if (!ReferenceEquals(escaped, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, escaped));
            }
        }

        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when LogText.NeedsEscaping(text) => new ScalarValue(LogText.Escape(text)),
        ScalarValue { Value: not (null or string or ValueType) } scalar when scalar.Value.ToString() is { } shown && LogText.NeedsEscaping(shown) =>
            new ScalarValue(LogText.Escape(shown)),
        SequenceValue sequence when sequence.Elements.Any(e => !ReferenceEquals(Escape(e), e)) => new SequenceValue(sequence.Elements.Select(Escape)),
        StructureValue structure when structure.Properties.Any(p => !ReferenceEquals(Escape(p.Value), p.Value)) =>
            new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))), structure.TypeTag),
        DictionaryValue dictionary when dictionary.Elements.Any(e => !ReferenceEquals(Escape(e.Value), e.Value)) =>
            new DictionaryValue(dictionary.Elements.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, Escape(e.Value)))),
        _ => value,
    };
}
