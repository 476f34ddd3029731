using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AlgoSignal.Domain.Security;

namespace AlgoSignal.Bench;

/// <summary>Signed webhook alerts over HTTP, at a fixed rate (open loop) or at saturation (closed loop).</summary>
public sealed class LoadGenerator(HttpClient http, BenchOptions options)
{
    private long _sequence;

    public async Task<LoadResult> FixedRateAsync(int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<Sample>();
        var total = (int)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Open loop: each request leaves at its scheduled time, whatever the previous ones do.
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Add(SendOneAsync(results, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        return new LoadResult(results.ToList(), clock.Elapsed);
    }

    public async Task<LoadResult> SaturationAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<Sample>();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await SendOneAsync(results, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return new LoadResult(results.ToList(), clock.Elapsed);
    }

    private async Task SendOneAsync(ConcurrentBag<Sample> results, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _sequence);
        var symbol = "BENCH" + (n % options.Symbols).ToString(CultureInfo.InvariantCulture);
        var action = (n / options.Symbols) % 2 == 0 ? "buy" : "close";
        var body = Encoding.UTF8.GetBytes(
            $$"""{"strategy":"{{options.Strategy}}","action":"{{action}}","symbol":"BINANCE:{{symbol}}","price":{{100 + (n % 50)}},"quantity":1,"alert_id":"bench-{{n}}-{{Environment.ProcessId}}"}""");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(options.HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            Guid? alertId = null;
            if ((int)response.StatusCode == 202)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                alertId = answer.RootElement.GetProperty("alert_id").GetGuid();
            }

            results.Add(new Sample((int)response.StatusCode, elapsed, alertId));
        }
        catch (HttpRequestException)
        {
            results.Add(new Sample(0, Stopwatch.GetElapsedTime(started), null));
        }
    }
}

public sealed record Sample(int Status, TimeSpan Latency, Guid? AlertId);

public sealed record LoadResult(IReadOnlyList<Sample> Samples, TimeSpan Elapsed)
{
    public int Accepted => Samples.Count(s => s.Status == 202);

    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;

    public double Percentile(double p) => Stats.Percentile(Samples.Select(s => s.Latency.TotalMilliseconds), p);

    public double Max => Samples.Count == 0 ? 0 : Samples.Max(s => s.Latency.TotalMilliseconds);

    public IReadOnlyDictionary<int, int> Errors => Samples.Where(s => s.Status != 202).GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count());
}
