namespace AlgoSignal.Cli;

/// <summary>
/// A failure the user can act on: printed as one line (never a stack trace) with the process's exit
/// code — 1 when something was refused or failed, 2 when the command line itself is wrong.
/// </summary>
public sealed class CliFailure(string message, int exitCode = CliFailure.Failed) : Exception(message)
{
    public const int Failed = 1;
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;
}
