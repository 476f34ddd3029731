using System.Data.Common;
using AlgoSignal.Domain.Orders;
using AlgoSignal.Domain.Strategies;
using AlgoSignal.Persistence.Entities;
using Npgsql;

namespace AlgoSignal.Persistence.Books;

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

    public static async Task<TradingBook> LoadAsync(AlgoSignalDbContext db, BookKey key, CancellationToken cancellationToken)
    {
        await using var batch = Batches.InTransaction(db, "A trading book (its lock lasts until commit)");
        AddCommands(batch, key);
        TradingBook book;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            book = await ReadAsync(reader, key, cancellationToken);
        }

        return book.AttachTo(db);
    }

    /// <summary>The book's statements, the lock first; they can follow others in a batch.</summary>
    public static void AddCommands(NpgsqlBatch batch, BookKey key)
    {
        batch.BatchCommands.Add(Batches.Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key.Broker + "|" + key.Account + "|" + key.Symbol));
        batch.BatchCommands.Add(Batches.Command(
            "SELECT quantity, average_price, realized_pnl, last_price, entries, updated_at FROM positions WHERE broker = $1 AND account = $2 AND symbol = $3",
            key.Broker, key.Account, key.Symbol));
        batch.BatchCommands.Add(Batches.Command("SELECT count(*)::int FROM positions WHERE broker = $1 AND account = $2 AND quantity <> 0", key.Broker, key.Account));
        if (key.IsPaper)
        {
            batch.BatchCommands.Add(Batches.Command(
                $"SELECT {OrderColumns} FROM orders WHERE broker = $1 AND account = $2 AND symbol = $3 AND status = '{OrderStatuses.Accepted}' ORDER BY created_at, id",
                key.Broker, key.Account, key.Symbol));
        }
    }

    /// <summary>Reads what <see cref="AddCommands"/> asked for; the reader stands on the lock's result.</summary>
    public static async Task<TradingBook> ReadAsync(NpgsqlDataReader reader, BookKey key, CancellationToken cancellationToken)
    {
        PositionEntity? position = null;
        var resting = new List<OrderEntity>();
        await reader.NextResultAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            position = new PositionEntity
            {
                Broker = key.Broker,
                Account = key.Account,
                Symbol = key.Symbol,
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
        var openPositions = reader.GetInt32(0);

        if (key.IsPaper)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                resting.Add(ReadOrder(reader));
            }
        }

        return new TradingBook(position, resting, openPositions);
    }

    /// <summary>The same book with its entities in the change tracker (an instance it already tracks wins).</summary>
    public TradingBook AttachTo(AlgoSignalDbContext db) =>
        new(Track(db, Position), Resting.Select(o => Track(db, o)).ToList(), OpenPositions);

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

/// <summary>One broker account and symbol: what a book and its lock are about.</summary>
public sealed record BookKey(string Broker, string Account, string Symbol)
{
    public bool IsPaper => Broker == BrokerNames.Paper;
}
