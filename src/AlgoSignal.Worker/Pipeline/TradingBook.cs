using System.Data.Common;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Entities;

namespace AlgoSignal.Worker.Pipeline;

/// <summary>
/// One broker account and symbol as an alert finds it once it holds the symbol's lock: the position,
/// the paper orders resting in it, and how many positions the account has open. Read in one round
/// trip (the lock first, so the reads after it see every earlier alert's commit); the entities are
/// attached to the change tracker, so whatever the alert changes is written by its one SaveChanges.
/// </summary>
public sealed class TradingBook
{
    internal const string OrderColumns =
        "id, alert_id, leg, broker, account, client_order_id, broker_order_id, symbol, side, intent, quantity, order_type, limit_price, " +
        "stop_price, time_in_force, status, filled_quantity, average_price, fees, reason, strategy, realized_pnl, parent_order_id, role, " +
        "take_profit, stop_loss, created_at, updated_at";

    private TradingBook(PositionEntity? position, List<OrderEntity> resting, int openPositions)
    {
        Position = position;
        Resting = resting;
        OpenPositions = openPositions;
    }

    /// <summary>The stored position when the book was read (null: none yet).</summary>
    public PositionEntity? Position { get; }

    /// <summary>
    /// Paper orders resting (<c>accepted</c>) when the book was read, oldest first (by creation time: ids come
    /// in per-process blocks, so with two workers a later order can have the smaller id).
    /// </summary>
    public List<OrderEntity> Resting { get; }

    /// <summary>Positions of the broker account with a non-zero quantity when the book was read.</summary>
    public int OpenPositions { get; }

    public static async Task<TradingBook> LoadAsync(AlgoSignalDbContext db, string broker, string account, string symbol, CancellationToken cancellationToken)
    {
        await using var batch = Batches.InTransaction(db, "A trading book (its lock lasts until commit)");
        batch.BatchCommands.Add(Batches.Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", broker + "|" + account + "|" + symbol));
        batch.BatchCommands.Add(Batches.Command(
            "SELECT quantity, average_price, realized_pnl, last_price, entries, updated_at FROM positions WHERE broker = $1 AND account = $2 AND symbol = $3",
            broker, account, symbol));
        batch.BatchCommands.Add(Batches.Command("SELECT count(*)::int FROM positions WHERE broker = $1 AND account = $2 AND quantity <> 0", broker, account));
        var paper = broker == PaperExecution.Broker;
        if (paper)
        {
            batch.BatchCommands.Add(Batches.Command(
                $"SELECT {OrderColumns} FROM orders WHERE broker = $1 AND account = $2 AND symbol = $3 AND status = 'accepted' ORDER BY created_at, id",
                broker, account, symbol));
        }

        PositionEntity? position = null;
        var resting = new List<OrderEntity>();
        int openPositions;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                position = new PositionEntity
                {
                    Broker = broker,
                    Account = account,
                    Symbol = symbol,
                    Quantity = reader.GetDecimal(0),
                    AveragePrice = reader.GetDecimal(1),
                    RealizedPnl = reader.GetDecimal(2),
                    LastPrice = reader.IsDBNull(3) ? null : reader.GetDecimal(3),
                    Entries = reader.GetInt32(4),
                    UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                };
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            openPositions = reader.GetInt32(0);

            if (paper)
            {
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    resting.Add(ReadOrder(reader));
                }
            }
        }

        // Attached as read; an instance this context already tracks (an earlier book or query) wins.
        position = Track(db, position);
        for (var i = 0; i < resting.Count; i++)
        {
            resting[i] = Track(db, resting[i]);
        }

        return new TradingBook(position, resting, openPositions);
    }

    internal static OrderEntity ReadOrder(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        AlertId = reader.GetGuid(1),
        Leg = reader.GetInt32(2),
        Broker = reader.GetString(3),
        Account = reader.GetString(4),
        ClientOrderId = reader.GetString(5),
        BrokerOrderId = NullableString(reader, 6),
        Symbol = reader.GetString(7),
        Side = reader.GetString(8),
        Intent = reader.GetString(9),
        Quantity = reader.GetDecimal(10),
        OrderType = reader.GetString(11),
        LimitPrice = NullableDecimal(reader, 12),
        StopPrice = NullableDecimal(reader, 13),
        TimeInForce = reader.GetString(14),
        Status = reader.GetString(15),
        FilledQuantity = reader.GetDecimal(16),
        AveragePrice = NullableDecimal(reader, 17),
        Fees = reader.GetDecimal(18),
        Reason = NullableString(reader, 19),
        Strategy = NullableString(reader, 20),
        RealizedPnl = reader.GetDecimal(21),
        ParentOrderId = reader.IsDBNull(22) ? null : reader.GetInt64(22),
        Role = reader.GetString(23),
        TakeProfit = NullableDecimal(reader, 24),
        StopLoss = NullableDecimal(reader, 25),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(26),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(27),
    };

    private static PositionEntity? Track(AlgoSignalDbContext db, PositionEntity? position)
    {
        if (position is null)
        {
            return null;
        }

        var tracked = db.Positions.Local.FirstOrDefault(p => p.Broker == position.Broker && p.Account == position.Account && p.Symbol == position.Symbol);
        if (tracked is not null)
        {
            return tracked;
        }

        db.Positions.Attach(position);
        return position;
    }

    private static OrderEntity Track(AlgoSignalDbContext db, OrderEntity order)
    {
        var tracked = db.Orders.Local.FindEntry(order.Id)?.Entity;
        if (tracked is not null)
        {
            return tracked;
        }

        db.Orders.Attach(order);
        return order;
    }


    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
