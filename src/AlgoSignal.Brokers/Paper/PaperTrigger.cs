using AlgoSignal.Domain.Orders;

namespace AlgoSignal.Brokers.Paper;

/// <summary>What made a paper order trigger or fill: an alert's price or a market price (<see cref="FillTriggers"/>), and when it was seen.</summary>
public sealed record PaperTrigger(string Source, DateTimeOffset At)
{
    public static PaperTrigger Alert(DateTimeOffset at) => new(FillTriggers.Alert, at);

    public static PaperTrigger Market(DateTimeOffset at) => new(FillTriggers.Market, at);
}
