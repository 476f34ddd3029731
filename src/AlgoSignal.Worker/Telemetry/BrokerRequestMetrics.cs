using AlgoSignal.Brokers.Bybit;
using AlgoSignal.Brokers.InteractiveBrokers;
using AlgoSignal.Brokers.TradeStation;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Http;

namespace AlgoSignal.Worker.Telemetry;

/// <summary>
/// Puts <see cref="BrokerRequestHandler"/> on the HttpClient of each live broker adapter, found by the
/// client's name, so every request an adapter makes — orders, cancels, status polls, token refreshes —
/// is counted and timed without the adapters knowing.
/// </summary>
public sealed class BrokerRequestMetrics(AlgoSignalMetrics metrics, TimeProvider time, BrokerHealth? health = null) : IHttpMessageHandlerBuilderFilter
{
    private static readonly Dictionary<string, string> Brokers = new(StringComparer.Ordinal)
    {
        [nameof(BybitAdapter)] = BrokerNames.Bybit,
        [nameof(InteractiveBrokersAdapter)] = BrokerNames.InteractiveBrokers,
        [nameof(TradeStationAdapter)] = BrokerNames.TradeStation,
    };

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name is { } name && Brokers.TryGetValue(name, out var broker))
        {
            // Outermost, so a request retried inside the handler chain is one request here.
            builder.AdditionalHandlers.Insert(0, new BrokerRequestHandler(broker, metrics, time, health));
        }
    };
}
