namespace AlgoSignal.Bench;

/// <summary>The baseline's message: the same size as an alert.</summary>
public sealed record BaselineMessage(Guid Id, DateTimeOffset SentAt, string Payload);
