namespace AlgoSignal.Brokers;

/// <summary>
/// Where a configured broker endpoint sends orders. Only <see cref="Live"/> trades real money, and
/// every endpoint is live unless it is a known test host or the configuration says otherwise: a
/// regional mainnet, a relay or a typo'd host must never be taken for a test endpoint.
/// </summary>
public enum BrokerEnvironment
{
    Live,
    Testnet,
    Demo,
    Simulator,
    Paper,
}
