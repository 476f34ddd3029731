using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace AlgoSignal.Persistence.Books;

/// <summary>Several statements in one round trip, on the alert's own connection and transaction.</summary>
public static class Batches
{
    public static NpgsqlBatch InTransaction(AlgoSignalDbContext db, string purpose)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException($"{purpose} is read inside the alert's transaction.");
        return new NpgsqlBatch(connection, transaction);
    }

    public static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
