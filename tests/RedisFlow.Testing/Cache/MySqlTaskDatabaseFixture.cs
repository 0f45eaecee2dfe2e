using MySqlConnector;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.MySql;
using RedisFlow.Testing.Servers;

namespace RedisFlow.Testing.Cache;

/// <summary>MySQL task databases on one real MariaDB server (started on first use): a fresh database per test.</summary>
public sealed class MySqlTaskDatabaseFixture : ITaskDatabaseFixture, IAsyncDisposable
{
    private readonly LazyServer<MariaDbServer> _server = new(MariaDbServer.StartAsync);

    /// <inheritdoc />
    public string Provider => MySqlTaskSource.ProviderName;

    /// <summary>The server, started on first use.</summary>
    public Task<MariaDbServer> ServerAsync(CancellationToken ct) => _server.GetAsync(ct);

    /// <inheritdoc />
    public async Task<ITestTaskDatabase> CreateDatabaseAsync(CancellationToken ct)
    {
        var server = await _server.GetAsync(ct).ConfigureAwait(false);
        var name = await server.CreateDatabaseAsync(ct).ConfigureAwait(false);
        var connectionString = server.ConnectionString(name);
        await RagflowTables.CreateAsync(new MySqlTaskSourceFactory(), connectionString, ct).ConfigureAwait(false);
        return new Database(server, name, connectionString);
    }

    /// <inheritdoc />
    public ITaskSource CreateUnreachableTaskSource() =>
        new MySqlTaskSource(new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)FreePort.Next(), // nothing listens there
            UserID = MariaDbServer.User,
            Password = "unreachable-secret",
            Database = "rag_flow",
            ConnectionTimeout = 2,
        }.ConnectionString);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Database(MariaDbServer server, string name, string connectionString) : ITestTaskDatabase
    {
        public ITaskSource TaskSource { get; } = new MySqlTaskSource(connectionString);

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["TaskSource:Provider"] = MySqlTaskSource.ProviderName,
            ["TaskSource:ConnectionString"] = connectionString,
        };

        public async Task InsertAsync(RagflowRows rows, CancellationToken ct)
        {
            var connection = new MySqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await RagflowSql.InsertAsync(connection, rows, ct).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync() => await server.DropDatabaseAsync(name, CancellationToken.None).ConfigureAwait(false);
    }
}
