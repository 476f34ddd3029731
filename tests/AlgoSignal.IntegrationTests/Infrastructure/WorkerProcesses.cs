using System.Diagnostics;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>The worker as its own process (so a test can SIGKILL it), built next to the tests, configured like a fixture.</summary>
public sealed class WorkerProcesses(AlgoSignalFixture environment) : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public Process Start()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = AppContext.BaseDirectory[..AppContext.BaseDirectory.IndexOf("/tests/", StringComparison.Ordinal)];
        var dll = Path.Combine(root, "src", "AlgoSignal.Worker", "bin", configuration, "net10.0", "AlgoSignal.Worker.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built with the solution");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment.Settings())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until a worker consumes the lane queue <paramref name="queue"/> of the fixture's virtual host.</summary>
    public async Task WaitForConsumerAsync(string queue = "alert-received-0")
    {
        using var management = TestServices.ManagementClient();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            using var response = await management.GetAsync($"api/queues/{Uri.EscapeDataString(environment.VirtualHost)}/{queue}");
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"consumers\":1", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The worker process did not start consuming {queue} within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
