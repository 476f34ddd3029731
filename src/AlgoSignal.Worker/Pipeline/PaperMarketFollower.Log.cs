namespace AlgoSignal.Worker.Pipeline;

public sealed partial class PaperMarketFollower
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: looking up the symbols to follow failed: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: the live feed of {Symbol} failed ({Error}); retrying with a growing pause of up to 30 s (repeats are logged at debug level)")]
    private static partial void LogFeedFailed(ILogger logger, string symbol, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Paper market: the live feed of {Symbol} failed again, {Failures} attempts in a row ({Error})")]
    private static partial void LogFeedStillFailing(ILogger logger, string symbol, int failures, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Paper market: the live feed of {Symbol} is back after {Failures} failed attempts")]
    private static partial void LogFeedBack(ILogger logger, string symbol, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paper market: matching {Account} {Symbol} against the market failed: {Error}")]
    private static partial void LogMatchFailed(ILogger logger, string account, string symbol, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Paper order {ClientOrderId} filled on the market price of {Symbol} ({Price})")]
    private static partial void LogMarketFill(ILogger logger, string clientOrderId, string symbol, decimal price);
}
