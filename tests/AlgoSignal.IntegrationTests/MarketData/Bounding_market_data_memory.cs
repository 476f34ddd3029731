using System.Net;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;
using Xunit.Abstractions;

namespace AlgoSignal.IntegrationTests.MarketData;

/// <summary>
/// Many large series through the API: the ingress's L1 cache stays within <c>MarketData:Cache:MemoryMegabytes</c>
/// by its own accounting and by the managed heap after a forced collection, and <c>cache/clear</c> gives it back.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class Bounding_market_data_memory(ITestOutputHelper output) : IAsyncLifetime
{
    private const int CapMegabytes = 8;
    private const int Series = 24;
    private const int WarmUp = 12;
    private const int Bars = FakeTradingView.History;

    /// <summary>
    /// What the rest of the process (the worker and the fake TradingView run in it too) may keep on top of
    /// the cache between two measurements: the buffer pools of Kestrel, RabbitMQ and the JSON writer keep
    /// the large arrays large answers rented, a few per thread — bounded, but not by the cache. Without the
    /// cap the same requests keep about 24 × 12,000 bars × ~220 bytes ≈ 60 MB in the cache alone.
    /// </summary>
    private const long ProcessMarginBytes = 48L * 1024 * 1024;

    /// <summary>How far what the cache really held (what a clear released) may exceed its cap.</summary>
    private const long CacheMarginBytes = 4L * 1024 * 1024;

    private readonly string _datasets = Path.Combine(Path.GetTempPath(), "algosignal-memory-" + Guid.NewGuid().ToString("N")[..8]);
    private FakeTradingView _fake = null!;
    private AlgoSignalFixture _environment = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeTradingView.StartAsync();
        var settings = _fake.Settings();
        settings["MarketData:Cache:DatasetsPath"] = _datasets;
        settings["MarketData:Cache:MemoryMegabytes"] = CapMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _environment = new AlgoSignalFixture(workers: 1, settings);
        await _environment.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _environment.DisposeAsync();
        await _fake.DisposeAsync();
        if (Directory.Exists(_datasets))
        {
            Directory.Delete(_datasets, recursive: true);
        }
    }

    private static long Heap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private async Task<JsonElement> StatsAsync() => await _environment.Http.GetFromJsonAsync<JsonElement>("/api/v1/cache/stats");

    private async Task OhlcAsync(string symbol)
    {
        using var response = await _environment.Http.GetAsync($"/api/tv/ohlc?symbol={symbol}&exchange=MEMTEST&timeframe=1&n_bars={Bars}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Read and dropped: the test keeps no answer alive.
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(Bars * 50);
    }

    [Fact]
    public async Task Should_keep_the_memory_cache_under_its_cap_and_give_it_back_on_clear()
    {
        // Warm up every path (JIT, connections, and the buffer pools of Kestrel, RabbitMQ and the JSON
        // writer, which keep what large answers rented — bounded, but not the cache), then start from an
        // empty cache.
        for (var i = 0; i < WarmUp; i++)
        {
            await OhlcAsync($"W{i}");
        }

        (await _environment.Http.DeleteAsync("/api/v1/cache/clear")).EnsureSuccessStatusCode();
        var baseline = Heap();

        for (var i = 0; i < Series; i++)
        {
            await OhlcAsync($"S{i}");
        }

        var stats = await StatsAsync();
        var accounted = stats.GetProperty("memory_bytes").GetInt64();
        stats.GetProperty("memory_max_bytes").GetInt64().ShouldBe(CapMegabytes * 1024L * 1024);
        accounted.ShouldBeLessThanOrEqualTo(CapMegabytes * 1024L * 1024);
        stats.GetProperty("memory_entries").GetInt32().ShouldBeInRange(1, Series - 1);
        var loaded = Heap();
        output.WriteLine($"baseline {baseline / 1048576.0:0.0} MB, loaded {loaded / 1048576.0:0.0} MB, accounted {accounted / 1048576.0:0.0} MB, entries {stats.GetProperty("memory_entries").GetInt32()}");
        (loaded - baseline).ShouldBeLessThanOrEqualTo((CapMegabytes * 1024L * 1024) + ProcessMarginBytes, "the heap grew by more than the cap and the margin");

        (await _environment.Http.DeleteAsync("/api/v1/cache/clear")).EnsureSuccessStatusCode();
        var cleared = await StatsAsync();
        cleared.GetProperty("memory_bytes").GetInt64().ShouldBe(0);
        cleared.GetProperty("memory_entries").GetInt32().ShouldBe(0);
        var released = Heap();
        output.WriteLine($"after clear {released / 1048576.0:0.0} MB: the cache held {(loaded - released) / 1048576.0:0.0} MB");
        (loaded - released).ShouldBeLessThanOrEqualTo((CapMegabytes * 1024L * 1024) + CacheMarginBytes, "what the cache really held is within its cap");
        (loaded - released).ShouldBeGreaterThan(accounted / 2, "clear gave back what the cache held");
    }
}
