namespace AlgoSignal.Brokers.Paper;

/// <summary>A market price and when the feed reported it.</summary>
public sealed record PaperQuote(decimal Price, DateTimeOffset At);
