namespace AlgoSignal.Brokers.Paper;

public sealed record PaperFill(decimal Quantity, decimal Price, decimal Fee);
