using System.Data.Common;
using Microsoft.Data.Sqlite;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.Sqlite;

/// <summary>RAGFlow's ongoing-documents query on a SQLite database file (the embedded default task source).</summary>
public sealed class SqliteTaskSource : SqlTaskSource
{
    private readonly string _connectionString;

    /// <summary>Creates the source on <paramref name="connectionString"/>, for example <c>Data Source=tasks.db</c>.</summary>
    public SqliteTaskSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
    }

    /// <inheritdoc />
    public override string Name => "sqlite";

    /// <inheritdoc />
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
