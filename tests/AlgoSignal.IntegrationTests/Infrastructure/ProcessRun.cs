using System.Diagnostics;

namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>A finished child process: exit code and everything it wrote.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// Runs a program to its end with only the given environment (plus PATH, HOME and DOTNET_ROOT, so
    /// that nothing of the test runner's own environment leaks in), feeding <paramref name="stdin"/>.
    /// </summary>
    public static async Task<ProcessRun> RunAsync(
        string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? stdin = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        CleanEnvironment(start, environment);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not end in time; output so far: {await stdout} {await stderr}");
        }

        return new ProcessRun(process.ExitCode, await stdout, await stderr);
    }

    public static void CleanEnvironment(ProcessStartInfo start, IDictionary<string, string>? environment)
    {
        var keep = new[] { "PATH", "HOME", "DOTNET_ROOT", "LANG" }
            .Select(name => (name, value: Environment.GetEnvironmentVariable(name)))
            .Where(p => p.value is not null)
            .ToList();
        start.Environment.Clear();
        foreach (var (name, value) in keep)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
    }
}
