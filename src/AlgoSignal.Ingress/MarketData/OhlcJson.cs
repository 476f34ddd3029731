using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.MarketData;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>
/// Writes the <c>GET /api/tv/ohlc</c> answer (the <see cref="OhlcAnswer"/> shape, byte for byte what the
/// serializer would write) without building an object per bar. The bars of a cached series are
/// serialized once and kept beside it while it lives in memory, with each bar's offset, so an answer
/// for the newest n bars of it is a copy of the tail: a 5,000-bar answer from memory allocates almost
/// nothing and costs no number formatting.
/// </summary>
public static class OhlcJson
{
    private static readonly ConditionalWeakTable<IReadOnlyList<Bar>, SerializedBars> Serialized = [];

    public static void Write(Utf8JsonWriter writer, string symbol, string exchange, string timeframe, MarketDataAnswer answer)
    {
        var series = answer.Series;
        writer.WriteStartObject();
        writer.WriteString("symbol"u8, symbol);
        writer.WriteString("exchange"u8, exchange);
        writer.WriteString("timeframe"u8, timeframe);
        writer.WriteNumber("count"u8, series.Bars.Count);
        writer.WriteString("source"u8, answer.Source);
        writer.WriteBoolean("has_volume"u8, series.HasVolume);
        if (series.Quality?.Score is { } score)
        {
            writer.WriteNumber("quality_score"u8, score);
        }

        writer.WritePropertyName("ohlc"u8);
        var whole = answer.Whole ?? series;
        var bars = Serialized.GetValue(whole.Bars, static list => SerializedBars.Of(list));
        var first = whole.Bars.Count - series.Bars.Count;
        if (first < 0 || series.Bars.Count == 0)
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
        else
        {
            // "[" + bar(first) + "," + … + bar(last) + "]", already valid JSON.
            var tail = bars.Utf8.AsSpan(bars.Offsets[first]);
            var array = ArrayPool<byte>.Shared.Rent(tail.Length + 2);
            try
            {
                array[0] = (byte)'[';
                tail.CopyTo(array.AsSpan(1));
                array[tail.Length + 1] = (byte)']';
                writer.WriteRawValue(array.AsSpan(0, tail.Length + 2), skipInputValidation: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>One bar as the API writes it: UTC open time to the second, prices, volume and the forming flag when present.</summary>
    public static void WriteBar(Utf8JsonWriter writer, Bar bar)
    {
        Span<char> time = stackalloc char[20];
        bar.Time.UtcDateTime.TryFormat(time, out var written, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteString("time"u8, time[..written]);
        writer.WriteNumber("open"u8, bar.Open);
        writer.WriteNumber("high"u8, bar.High);
        writer.WriteNumber("low"u8, bar.Low);
        writer.WriteNumber("close"u8, bar.Close);
        if (bar.Volume is { } volume)
        {
            writer.WriteNumber("volume"u8, volume);
        }

        if (bar.IsForming)
        {
            writer.WriteBoolean("forming"u8, true);
        }

        writer.WriteEndObject();
    }

    private sealed record SerializedBars(byte[] Utf8, int[] Offsets)
    {
        public static SerializedBars Of(IReadOnlyList<Bar> bars)
        {
            var buffer = new ArrayBufferWriter<byte>(Math.Max(256, bars.Count * 128));
            var offsets = new int[bars.Count];
            using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
            for (var i = 0; i < bars.Count; i++)
            {
                writer.Flush();
                if (i > 0)
                {
                    buffer.GetSpan(1)[0] = (byte)',';
                    buffer.Advance(1);
                }

                offsets[i] = buffer.WrittenCount;
                WriteBar(writer, bars[i]);
                // A fresh root value for each bar: no separator of the writer's own.
                writer.Flush();
                writer.Reset(buffer);
            }

            writer.Flush();
            return new SerializedBars(buffer.WrittenSpan.ToArray(), offsets);
        }
    }
}
