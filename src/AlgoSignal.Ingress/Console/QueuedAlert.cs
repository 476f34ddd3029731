namespace AlgoSignal.Ingress.Console;

/// <summary>The 202 answer of the console's actions: the alert queued, whose story tells what became of it.</summary>
public sealed record QueuedAlert(string Status, Guid AlertId);
