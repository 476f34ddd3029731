namespace AlgoSignal.Brokers;

/// <summary>A transport or protocol fault talking to a broker (retry and redelivery act on it).</summary>
public sealed class BrokerException(string message, Exception? inner = null) : Exception(message, inner);
