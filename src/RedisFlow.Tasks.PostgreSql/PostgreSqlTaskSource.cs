using System.Data.Common;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.PostgreSql;

/// <summary>
/// RAGFlow's ongoing-documents query on its PostgreSQL database (RAGFlow's <c>DB_TYPE=postgres</c>). Each call
/// takes a pooled connection and gives it back, as the seed closes its connection after every cycle.
/// </summary>
public sealed class PostgreSqlTaskSource : SqlTaskSource
{
    /// <summary>The provider name, <c>postgres</c> (the value of <c>TaskSource:Provider</c>).</summary>
    public const string ProviderName = "postgres";

    private readonly string _connectionString;

    /// <summary>
    /// Creates the source on <paramref name="connectionString"/>, for example
    /// <c>Host=127.0.0.1;Port=5432;Username=rag_flow;Password=...;Database=rag_flow</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed (the message does not repeat it).</exception>
    public PostgreSqlTaskSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Target = PostgreSqlConnectionErrors.Describe(connectionString);
        _connectionString = connectionString;
    }

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <summary>Host, port, database and user of the connection string, without the password (for logs).</summary>
    public string Target { get; }

    /// <inheritdoc />
    /// <exception cref="TaskSourceUnavailableException">The server is unreachable, refuses the credentials or lacks the database.</exception>
    protected override Task<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        PostgreSqlConnectionErrors.OpenAsync(_connectionString, Target, ct);
}
