using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace AlgoSignal.Brokers;

/// <summary>
/// The pipeline every broker adapter calls through: retries with backoff only for faults that prove
/// nothing landed (<see cref="BrokerException"/>: 429, 5xx, never connected), then a circuit breaker.
/// An answer lost after sending is not retried here; the adapter reports it as Unknown.
/// </summary>
public static class BrokerResilience
{
    public static ResiliencePipeline Create(TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BrokerException>(),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<BrokerException>(),
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
            })
            .Build();
}
