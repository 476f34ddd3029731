using System.Diagnostics;
using System.Text;
using AlgoSignal.IntegrationTests.Infrastructure;

namespace AlgoSignal.IntegrationTests.Readme;

/// <summary>
/// One fresh bash reading commands from standard input, the way a terminal gets pasted lines: state
/// (variables, the sourced environment) carries from one pasted block to the next.
/// </summary>
public sealed class BashSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrLock = new();
    private int _blocks;

    public BashSession(string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        ProcessRun.CleanEnvironment(start, null);
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderrLock)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderrLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Pastes a block and returns what it printed on standard output.</summary>
    public async Task<string> PasteAsync(string block, TimeSpan? timeout = null)
    {
        var marker = $"__block_{++_blocks}_done__";
        await _process.StandardInput.WriteAsync(block + "\necho " + marker + "\n");
        await _process.StandardInput.FlushAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var output = new StringBuilder();
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException($"bash ended while running:\n{block}\noutput: {output}\nerrors: {Stderr}");
            if (line == marker)
            {
                return output.ToString();
            }

            output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
