using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlgoSignal.Bench;
using Npgsql;

// The load tool: saturation, fixed rates, end-to-end latency, the infrastructure baseline and the
// market-data cache, in one run; a table for people and one JSON line for machines.
var options = BenchOptions.Parse(args);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var token = stop.Token;
var total = Stopwatch.StartNew();

BenchEnvironment? environment = null;
if (options.Url is null)
{
    Console.WriteLine("starting a private AlgoSignal (database algosignal_bench, virtual host algosignal-bench)…");
    environment = await BenchEnvironment.StartAsync(options, token);
}

await using var owned = environment;
var baseAddress = environment?.BaseAddress ?? new Uri(options.Url!);
var connectionString = environment?.ConnectionString ?? BenchEnvironment.AdminConnectionString;
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);

var monitors = environment is null ? [] : new[] { new ProcessMonitor(environment.Ingress.Id, "ingress"), new ProcessMonitor(environment.Worker.Id, "worker") };
foreach (var monitor in monitors)
{
    monitor.Start();
}

var load = new LoadGenerator(http, options);
var accepted = new List<Guid>();
var errors = new Dictionary<int, int>();
void Tally(LoadResult result)
{
    accepted.AddRange(result.Samples.Where(s => s.AlertId is not null).Select(s => s.AlertId!.Value));
    foreach (var (status, count) in result.Errors)
    {
        errors[status] = errors.GetValueOrDefault(status) + count;
    }
}

// Not measured: long enough for the JIT's optimised tier and Npgsql's prepared statements to be in
// place on every connection, as they are in a service that has been running for a while.
Console.WriteLine("warming up (3 s at 100/s, 10 s at 300/s)…");
Tally(await load.FixedRateAsync(100, TimeSpan.FromSeconds(3), token));
Tally(await load.FixedRateAsync(300, TimeSpan.FromSeconds(10), token));
await Outcomes.WaitFinalAsync(connectionString, accepted, TimeSpan.FromSeconds(60), token);
if (environment is not null)
{
    // The private database went from empty to thousands of rows in seconds; PostgreSQL's autovacuum
    // would refresh the planner's statistics within its first minute, as it has long done on a
    // running installation. Done here so the measured phases do not depend on when it wakes.
    await using var database = NpgsqlDataSource.Create(connectionString);
    await using var analyze = database.CreateCommand("ANALYZE");
    await analyze.ExecuteNonQueryAsync(token);
}

var rates = new List<(int Rate, LoadResult Result, List<double> EndToEnd)>();
foreach (var rate in options.Rates)
{
    Console.WriteLine($"fixed rate: {rate}/s for {options.DurationSeconds} s…");
    var result = await load.FixedRateAsync(rate, TimeSpan.FromSeconds(options.DurationSeconds), token);
    Tally(result);
    var ids = result.Samples.Where(s => s.AlertId is not null).Select(s => s.AlertId!.Value).ToList();
    await Outcomes.WaitFinalAsync(connectionString, ids, TimeSpan.FromSeconds(options.Quick ? 30 : 120), token);
    Console.WriteLine($"  done [{total.Elapsed.TotalSeconds:0} s]");
    rates.Add((rate, result, await Outcomes.EndToEndAsync(connectionString, ids, token)));
}

// Soak: a steady rate for a long while; memory is compared between the end of the first minute and the end.
(double Worker, double Ingress)? rssAtStart = null, rssAtEnd = null;
var soakAccepted = 0;
if (options.SoakSeconds > 0 && monitors.Length == 2)
{
    Console.WriteLine($"soak: {options.SoakRate}/s for {options.SoakSeconds} s…");
    var soakClock = Stopwatch.StartNew();
    while (soakClock.Elapsed.TotalSeconds < options.SoakSeconds)
    {
        var chunk = await load.FixedRateAsync(options.SoakRate, TimeSpan.FromSeconds(Math.Min(30, options.SoakSeconds - (int)soakClock.Elapsed.TotalSeconds)), token);
        Tally(chunk);
        soakAccepted += chunk.Accepted;
        var now = (monitors[1].Read().RssMiB, monitors[0].Read().RssMiB);
        if (rssAtStart is null && soakClock.Elapsed > TimeSpan.FromSeconds(55))
        {
            rssAtStart = now;
        }

        rssAtEnd = now;
        Console.WriteLine($"  {soakClock.Elapsed.TotalSeconds:0} s: worker RSS {now.Item1:0} MiB, ingress RSS {now.Item2:0} MiB");
    }

    await Outcomes.WaitFinalAsync(connectionString, accepted, TimeSpan.FromSeconds(300), token);
}

// Saturation last: its backlog would otherwise sit in front of the fixed-rate phases' alerts.
Console.WriteLine($"saturation: {options.Concurrency} concurrent senders for {options.SaturationSeconds} s…");
var saturation = await load.SaturationAsync(TimeSpan.FromSeconds(options.SaturationSeconds), token);
Tally(saturation);
var drainClock = Stopwatch.StartNew();
var backlog = await Outcomes.WaitFinalAsync(connectionString, accepted, TimeSpan.FromSeconds(options.Quick ? 60 : 900), token);
Console.WriteLine($"  {saturation.Accepted} accepted in {saturation.Elapsed.TotalSeconds:0.0} s; worker done after {drainClock.Elapsed.TotalSeconds:0.0} s more (backlog {backlog}) [{total.Elapsed.TotalSeconds:0} s]");
var workerRate = saturation.Accepted / (saturation.Elapsed + drainClock.Elapsed).TotalSeconds;

// Lost means never final: wait while the worker still makes progress, and count what is left once it stalls.
var lost = await Outcomes.WaitFinalAsync(connectionString, accepted, TimeSpan.FromMinutes(30), token, untilStalledFor: TimeSpan.FromSeconds(30));
var processes = monitors.Select(m => (m.Name, Usage: m.Read())).ToList();

Console.WriteLine($"baseline: MassTransit publish-with-confirm + consume of {options.BaselineMessages} messages…");
var baseline = await Baseline.MeasureAsync(BenchEnvironment.RabbitHost, BenchEnvironment.RabbitPort, environment is null ? "/" : BenchEnvironment.VirtualHost,
    BenchEnvironment.RabbitUser, BenchEnvironment.RabbitPassword, options.BaselineMessages, options.Concurrency, token);

(double P50, double P99, string Source) l1 = (0, 0, "n/a"), l2 = (0, 0, "n/a");
if (environment is not null)
{
    var l2Series = Math.Max(20, options.MarketDataRequests / 2);
    Console.WriteLine($"market data: seeding {l2Series + 1} series of {MarketDataProbe.Bars} bars…");
    await MarketDataProbe.SeedAsync(connectionString, l2Series + 1, token);
    await MarketDataProbe.MeasureAsync(http, ["S0"], token);
    l1 = await MarketDataProbe.MeasureAsync(http, Enumerable.Repeat("S0", options.MarketDataRequests), token);
    l2 = await MarketDataProbe.MeasureAsync(http, Enumerable.Range(1, l2Series).Select(i => $"S{i}"), token);
}

// The table.
var at500 = rates.OrderBy(r => Math.Abs(r.Rate - 500)).FirstOrDefault();
Console.WriteLine();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; run took {total.Elapsed.TotalSeconds:0} s");
Console.WriteLine($"{"phase",-22}{"sent",8}{"202/s",10}{"p50 ms",9}{"p95 ms",9}{"p99 ms",9}{"max ms",9}{"e2e p50",9}{"e2e p99",9}");
Console.WriteLine($"{"saturation",-22}{saturation.Samples.Count,8}{saturation.AcceptedPerSecond,10:0}{saturation.Percentile(50),9:0.0}{saturation.Percentile(95),9:0.0}{saturation.Percentile(99),9:0.0}{saturation.Max,9:0.0}{"",9}{"",9}");
foreach (var (rate, result, e2e) in rates)
{
    Console.WriteLine($"{$"fixed {rate}/s",-22}{result.Samples.Count,8}{result.AcceptedPerSecond,10:0}{result.Percentile(50),9:0.0}{result.Percentile(95),9:0.0}{result.Percentile(99),9:0.0}{result.Max,9:0.0}{Stats.Percentile(e2e, 50),9:0.0}{Stats.Percentile(e2e, 99),9:0.0}");
}

Console.WriteLine($"worker throughput during saturation (accepted ÷ time until all final): {workerRate:0}/s; still queued when the wait ended: {backlog}");
Console.WriteLine($"baseline (MassTransit confirm + consume, no HTTP/DB): {baseline:0}/s; accepted at saturation = {saturation.AcceptedPerSecond / baseline:P0} of it");
Console.WriteLine($"/api/tv/ohlc 5,000 bars: L1 p50 {l1.P50:0.0} ms p99 {l1.P99:0.0} ms ({l1.Source}); L2 p50 {l2.P50:0.0} ms p99 {l2.P99:0.0} ms ({l2.Source})");
foreach (var (name, usage) in processes)
{
    Console.WriteLine($"{name}: CPU {usage.CpuPercent:0}% of one core on average, peak RSS {usage.PeakMiB:0} MiB");
}

if (rssAtStart is { } first && rssAtEnd is { } last)
{
    Console.WriteLine($"soak: {soakAccepted} alerts accepted at {options.SoakRate}/s over {options.SoakSeconds} s; RSS growth after the first minute: worker {100 * (last.Worker - first.Worker) / first.Worker:0.0} %, ingress {100 * (last.Ingress - first.Ingress) / first.Ingress:0.0} %");
}

Console.WriteLine($"errors by status: {(errors.Count == 0 ? "none" : string.Join(", ", errors.Select(e => $"{(e.Key == 0 ? "connection" : e.Key.ToString(CultureInfo.InvariantCulture))}: {e.Value}")))}; lost (202 but never final): {lost}");

var summary = new Dictionary<string, object>
{
    ["accepted_per_s"] = Math.Round(saturation.AcceptedPerSecond, 1),
    ["baseline_per_s"] = Math.Round(baseline, 1),
    ["ratio_to_baseline"] = Math.Round(saturation.AcceptedPerSecond / baseline, 3),
    ["worker_per_s"] = Math.Round(workerRate, 1),
    ["ingress_p50_ms_at_500"] = at500.Result?.Percentile(50) ?? 0,
    ["ingress_p99_ms_at_500"] = at500.Result?.Percentile(99) ?? 0,
    ["e2e_p50_ms_at_500"] = Stats.Percentile(at500.EndToEnd ?? [], 50),
    ["e2e_p99_ms_at_500"] = Stats.Percentile(at500.EndToEnd ?? [], 99),
    ["l1_5000_p99_ms"] = l1.P99,
    ["l2_5000_p99_ms"] = l2.P99,
    ["errors"] = errors.Values.Sum(),
    ["lost"] = lost,
};
if (rssAtStart is { } soakFirst && rssAtEnd is { } soakLast)
{
    summary["soak_worker_rss_growth_percent"] = Math.Round(100 * (soakLast.Worker - soakFirst.Worker) / soakFirst.Worker, 1);
    summary["soak_ingress_rss_growth_percent"] = Math.Round(100 * (soakLast.Ingress - soakFirst.Ingress) / soakFirst.Ingress, 1);
}

foreach (var (name, usage) in processes)
{
    summary[$"{name}_cpu_percent"] = usage.CpuPercent;
    summary[$"{name}_peak_rss_mib"] = Math.Round(usage.PeakMiB, 1);
}

Console.WriteLine(JsonSerializer.Serialize(summary));
return lost == 0 ? 0 : 1;
