namespace AlgoSignal.Persistence;

/// <summary>One versioned schema change: <c>Migrations/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
