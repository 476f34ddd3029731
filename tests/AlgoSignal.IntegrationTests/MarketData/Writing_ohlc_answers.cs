using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlgoSignal.Domain.MarketData;
using AlgoSignal.Ingress.MarketData;
using AlgoSignal.MarketData;
using Shouldly;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>The hand-written /api/tv/ohlc answer is exactly what serializing an <see cref="OhlcAnswer"/> gives.</summary>
public sealed class Writing_ohlc_answers
{
    private static readonly JsonSerializerOptions ApiOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly SeriesKey Key = SeriesKey.Of("BINANCE", "BTCUSDT", "60");

    private static List<Bar> Bars(int count) => Enumerable.Range(0, count).Select(i => new Bar(
        DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (i * 3600L)),
        42_000.5 + i, 42_100.25 + i, 41_900.125 + (i * 0.1), 42_050 + (i / 3.0),
        i % 5 == 0 ? null : 1_234.5678 * i,
        IsForming: i == count - 1)).ToList();

    private static string Expected(CachedSeries series, string source) => JsonSerializer.Serialize(new OhlcAnswer(
        "BTCUSDT", "BINANCE", "60", series.Bars.Count, source, series.HasVolume, series.Quality?.Score,
        series.Bars.Select(b => new OhlcBar(b.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), b.Open, b.High, b.Low, b.Close, b.Volume, b.IsForming ? true : null)).ToList()), ApiOptions);

    private static string Written(MarketDataAnswer answer)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            OhlcJson.Write(writer, "BTCUSDT", "BINANCE", "60", answer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Should_write_what_the_serializer_writes_for_a_whole_series()
    {
        var series = new CachedSeries(Key, Bars(300), DateTimeOffset.UnixEpoch, HasVolume: true, Quality: null, Description: null);
        Written(new MarketDataAnswer(series, "memory")).ShouldBe(Expected(series, "memory"));
        // Twice: the second answer comes from the bars serialized by the first.
        Written(new MarketDataAnswer(series, "memory")).ShouldBe(Expected(series, "memory"));
    }

    [Fact]
    public void Should_write_the_newest_bars_of_a_longer_cached_series()
    {
        var whole = new CachedSeries(Key, Bars(500), DateTimeOffset.UnixEpoch, HasVolume: true, Quality: null, Description: null);
        foreach (var count in new[] { 1, 7, 499, 500 })
        {
            var newest = whole with { Bars = whole.Bars.TakeLast(count).ToList() };
            Written(new MarketDataAnswer(newest, "memory", whole)).ShouldBe(Expected(newest, "memory"));
        }
    }

    [Fact]
    public void Should_write_an_empty_series()
    {
        var empty = new CachedSeries(Key, [], DateTimeOffset.UnixEpoch, HasVolume: false, Quality: null, Description: null);
        Written(new MarketDataAnswer(empty, "tradingview")).ShouldBe(Expected(empty, "tradingview"));
    }
}
