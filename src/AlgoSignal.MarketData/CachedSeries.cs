using AlgoSignal.Domain.MarketData;

namespace AlgoSignal.MarketData;

/// <summary>A series as a cache layer holds it: bars oldest first, when they were fetched, and their quality.</summary>
public sealed record CachedSeries(SeriesKey Key, IReadOnlyList<Bar> Bars, DateTimeOffset FetchedAt, bool HasVolume, QualityReport? Quality, string? Description);
