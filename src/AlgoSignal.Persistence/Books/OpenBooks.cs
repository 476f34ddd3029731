using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Persistence.Books;

/// <summary>
/// The trading books one transaction has opened (locked and read), by broker, account and symbol: each is read
/// once, and later reads of it in the transaction come from here or from the change tracker.
/// </summary>
public sealed class OpenBooks(AlgoSignalDbContext db)
{
    private readonly Dictionary<BookKey, TradingBook> _books = [];

    /// <summary>
    /// Locks one broker account and symbol until the transaction ends and loads what trading it needs, in one
    /// round trip: the position, the paper orders resting in it, and the account's open positions. Everything
    /// the alert then decides about that symbol works on this book (and the change tracker).
    /// </summary>
    public async Task<TradingBook> LoadAsync(BookKey key, CancellationToken cancellationToken)
    {
        if (_books.TryGetValue(key, out var loaded))
        {
            return loaded;
        }

        var book = await TradingBook.LoadAsync(db, key, cancellationToken);
        _books[key] = book;
        return book;
    }

    /// <summary>The book of an order's account and symbol, which must have been opened in this transaction.</summary>
    public TradingBook Of(OrderEntity order) =>
        _books.TryGetValue(new BookKey(order.Broker, order.Account, order.Symbol), out var book)
            ? book
            : throw new InvalidOperationException($"The book of {order.Broker}/{order.Account}/{order.Symbol} was not loaded (LoadAsync) before trading it.");

    /// <summary>The position as this transaction sees it: a changed or added row first, then the book read under its lock.</summary>
    public async Task<PositionEntity?> FindPositionAsync(BookKey key, CancellationToken cancellationToken) =>
        db.Positions.Local.FirstOrDefault(p => p.Broker == key.Broker && p.Account == key.Account && p.Symbol == key.Symbol)
        ?? (_books.ContainsKey(key)
            ? null // the book was read under its lock: no row then, and none added since
            : await db.Positions.FirstOrDefaultAsync(p => p.Broker == key.Broker && p.Account == key.Account && p.Symbol == key.Symbol, cancellationToken));
}
