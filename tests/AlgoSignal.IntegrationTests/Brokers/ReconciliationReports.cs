using System.Net.Http.Json;
using System.Text.Json;

namespace AlgoSignal.IntegrationTests.Brokers;

/// <summary>Reads <c>GET /api/v1/reconciliation</c> until it shows what a test waits for.</summary>
public static class ReconciliationReports
{
    public static IEnumerable<JsonElement> OpenDrifts(JsonElement report) =>
        report.GetProperty("drifts").EnumerateArray().Where(d => !d.TryGetProperty("resolved_at", out var resolved) || resolved.ValueKind == JsonValueKind.Null).ToList();

    public static IEnumerable<JsonElement> OpenDrifts(JsonElement report, string kind) => OpenDrifts(report).Where(d => d.GetProperty("kind").GetString() == kind).ToList();

    /// <summary>When the broker's latest reconciliation run ran, or the earliest time when it has none yet.</summary>
    public static DateTimeOffset LastRun(JsonElement report, string broker) =>
        report.GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("broker").GetString() == broker)
            .Select(r => r.GetProperty("ran_at").GetDateTimeOffset()).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    /// <summary>The first report within 30 s that satisfies <paramref name="condition"/>, or null.</summary>
    public static async Task<JsonElement?> WaitForAsync(HttpClient http, Func<JsonElement, bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var report = await http.GetFromJsonAsync<JsonElement>("/api/v1/reconciliation");
            if (!report.TryGetProperty("runs", out _) || !report.TryGetProperty("drifts", out _))
            {
                throw new InvalidOperationException($"GET /api/v1/reconciliation answered {report}");
            }

            if (condition(report))
            {
                return report;
            }

            await Task.Delay(250);
        }

        return null;
    }
}
