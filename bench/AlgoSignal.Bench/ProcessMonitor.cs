using System.Diagnostics;
using System.Globalization;

namespace AlgoSignal.Bench;

/// <summary>CPU (share of one core, averaged over the run) and peak resident memory of a process, from /proc.</summary>
public sealed class ProcessMonitor(int pid, string name)
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux
    private long _startTicks;
    private long _startTimestamp;

    public string Name => name;

    public int Pid => pid;

    public void Start()
    {
        _startTicks = CpuTicks();
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <returns>Average CPU in % of one core since <see cref="Start"/>, and peak RSS in MiB.</returns>
    public (double CpuPercent, double PeakMiB, double RssMiB) Read()
    {
        var cpu = (CpuTicks() - _startTicks) / (double)TicksPerSecond;
        var elapsed = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        return (Math.Round(100 * cpu / Math.Max(elapsed, 0.001), 1), StatusKiB("VmHWM") / 1024.0, StatusKiB("VmRSS") / 1024.0);
    }

    private long CpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // utime and stime are fields 14 and 15 of /proc/pid/stat (11 and 12 after the command name).
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private double StatusKiB(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
