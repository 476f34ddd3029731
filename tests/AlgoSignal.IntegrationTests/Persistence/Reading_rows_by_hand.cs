using AlgoSignal.Brokers.Paper;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.IntegrationTests.Infrastructure;
using AlgoSignal.Persistence;
using AlgoSignal.Persistence.Books;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Persistence;

/// <summary>
/// The hot path reads a trading book with hand-written SQL and maps the columns by position
/// (<see cref="TradingBook"/>). Nothing in the compiler ties that mapping to the EF model, so this
/// checks it: the column list is exactly the model's columns, and a row written through EF with a
/// distinct value in every property reads back equal, property by property.
/// </summary>
public sealed class Reading_rows_by_hand : IAsyncLifetime
{
    private readonly string _database = "algosignal_rows_" + Guid.NewGuid().ToString("N")[..10];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        await TestServices.RequireAsync();
        _connectionString = await TestServices.CreateDatabaseAsync(_database);
        await new MigrationRunner(_connectionString, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => TestServices.DropDatabaseAsync(_database);

    private AlgoSignalDbContext CreateDbContext() =>
        new(new DbContextOptionsBuilder<AlgoSignalDbContext>().UseNpgsql(_connectionString).Options);

    [Fact]
    public async Task Should_list_exactly_the_columns_of_the_order_model()
    {
        await using var db = CreateDbContext();
        var listed = TradingBook.OrderColumns.Split(',', StringSplitOptions.TrimEntries);
        var modelled = Columns(db, typeof(OrderEntity)).Select(c => c.Column).ToArray();

        listed.ShouldBeUnique();
        listed.Order().ShouldBe(modelled.Order(), "a column added to the model is read by the book too (and none the model lacks)");
    }

    [Fact]
    public async Task Should_read_back_every_property_of_a_resting_order_and_its_position()
    {
        var alertId = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var order = new OrderEntity
        {
            AlertId = alertId,
            Leg = 3,
            Broker = PaperBroker.Broker,
            Account = "acct-rows",
            ClientOrderId = "cid-rows-1",
            BrokerOrderId = "bid-rows-1",
            Symbol = "ROWS",
            Side = "sell",
            Intent = "entry",
            Quantity = 7.25m,
            OrderType = "stop_limit",
            LimitPrice = 101.5m,
            StopPrice = 102.75m,
            TimeInForce = "gtc",
            Status = Domain.Orders.OrderStatuses.Accepted,
            FilledQuantity = 1.5m,
            AveragePrice = 100.125m,
            Fees = 0.375m,
            Reason = "a reason",
            Strategy = "rows-strategy",
            RealizedPnl = -12.5m,
            Role = "take_profit",
            TakeProfit = 120.5m,
            StopLoss = 90.25m,
            CreatedAt = at,
            UpdatedAt = at.AddMinutes(1),
        };
        var position = new PositionEntity
        {
            Broker = PaperBroker.Broker,
            Account = "acct-rows",
            Symbol = "ROWS",
            Quantity = -3.5m,
            AveragePrice = 99.875m,
            RealizedPnl = 42.125m,
            LastPrice = 98.5m,
            Entries = 2,
            UpdatedAt = at.AddMinutes(2),
        };
        await using (var db = CreateDbContext())
        {
            db.Alerts.Add(new AlertEntity { AlertId = alertId, Source = "test", Status = AlertStatuses.Ordered, Payload = "{}", ReceivedAt = at, UpdatedAt = at });

            // The order is a bracket child, so its parent is a filled order of the same alert.
            var parent = new OrderEntity
            {
                AlertId = alertId, Broker = PaperBroker.Broker, Account = "acct-rows", ClientOrderId = "cid-rows-0", Symbol = "ROWS", Side = "buy",
                Intent = "entry", Quantity = 1m, OrderType = "market", TimeInForce = "gtc", Status = Domain.Orders.OrderStatuses.Filled, CreatedAt = at, UpdatedAt = at,
            };
            db.Orders.Add(parent);
            await db.SaveChangesAsync();
            order.ParentOrderId = parent.Id;
            db.Orders.Add(order);
            db.Positions.Add(position);
            await db.SaveChangesAsync();
        }

        await using var read = CreateDbContext();
        await using var transaction = await read.Database.BeginTransactionAsync();
        var book = await TradingBook.LoadAsync(read, new BookKey(PaperBroker.Broker, "acct-rows", "ROWS"), CancellationToken.None);

        ShouldMatch(read, book.Resting.ShouldHaveSingleItem(), order);
        ShouldMatch(read, book.Position.ShouldNotBeNull(), position);
        book.OpenPositions.ShouldBe(1);
    }

    private static IEnumerable<(IProperty Property, string Column)> Columns(AlgoSignalDbContext db, Type entity)
    {
        var type = db.Model.FindEntityType(entity).ShouldNotBeNull();
        var table = StoreObjectIdentifier.Table(type.GetTableName().ShouldNotBeNull(), type.GetSchema());
        return type.GetProperties().Select(p => (p, p.GetColumnName(table).ShouldNotBeNull()));
    }

    /// <summary>Every mapped property of <paramref name="actual"/> equals the one written.</summary>
    private static void ShouldMatch<T>(AlgoSignalDbContext db, T actual, T expected)
        where T : class
    {
        foreach (var (property, column) in Columns(db, typeof(T)))
        {
            var info = property.PropertyInfo.ShouldNotBeNull();
            info.GetValue(actual).ShouldBe(info.GetValue(expected), $"{typeof(T).Name}.{info.Name} (column {column}) reads back as written");
        }
    }
}
