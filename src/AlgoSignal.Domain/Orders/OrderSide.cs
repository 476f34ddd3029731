namespace AlgoSignal.Domain.Orders;

public enum OrderSide
{
    Buy,
    Sell,
}
