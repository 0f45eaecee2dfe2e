using Npgsql;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Testing.Servers;

namespace RedisFlow.Testing.Cache;

/// <summary>PostgreSQL task databases on one real PostgreSQL server (started on first use): a fresh database per test.</summary>
public sealed class PostgreSqlTaskDatabaseFixture : ITaskDatabaseFixture, IAsyncDisposable
{
    private readonly LazyServer<PostgreSqlServer> _server = new(PostgreSqlServer.StartAsync);

    /// <inheritdoc />
    public string Provider => PostgreSqlTaskSource.ProviderName;

    /// <summary>The server, started on first use.</summary>
    public Task<PostgreSqlServer> ServerAsync(CancellationToken ct) => _server.GetAsync(ct);

    /// <inheritdoc />
    public async Task<ITestTaskDatabase> CreateDatabaseAsync(CancellationToken ct)
    {
        var server = await _server.GetAsync(ct).ConfigureAwait(false);
        var name = await server.CreateDatabaseAsync(ct).ConfigureAwait(false);
        var connectionString = server.ConnectionString(name);
        await RagflowTables.CreateAsync(new PostgreSqlTaskSourceFactory(), connectionString, ct).ConfigureAwait(false);
        return new Database(server, name, connectionString);
    }

    /// <inheritdoc />
    public ITaskSource CreateUnreachableTaskSource() =>
        new PostgreSqlTaskSource(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = FreePort.Next(), // nothing listens there
            Username = PostgreSqlServer.User,
            Password = "unreachable-secret",
            Database = "rag_flow",
            Timeout = 2,
        }.ConnectionString);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Database(PostgreSqlServer server, string name, string connectionString) : ITestTaskDatabase
    {
        public ITaskSource TaskSource { get; } = new PostgreSqlTaskSource(connectionString);

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["TaskSource:Provider"] = PostgreSqlTaskSource.ProviderName,
            ["TaskSource:ConnectionString"] = connectionString,
        };

        public async Task InsertAsync(RagflowRows rows, CancellationToken ct)
        {
            var connection = new NpgsqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await RagflowSql.InsertAsync(connection, rows, ct).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(name, CancellationToken.None).ConfigureAwait(false);
    }
}
