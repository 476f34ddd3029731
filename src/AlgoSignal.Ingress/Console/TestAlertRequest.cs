namespace AlgoSignal.Ingress.Console;

/// <summary>
/// The optional body of <c>POST /api/v1/strategies/{name}/test-alert</c> (documentation only): the action
/// (<c>buy</c> by default), the symbol (the strategy's first by default), a reference price and a quantity.
/// </summary>
public sealed record TestAlertRequest(string? Action, string? Symbol, decimal? Price, decimal? Quantity);
