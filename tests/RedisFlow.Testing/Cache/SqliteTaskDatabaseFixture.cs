using Microsoft.Data.Sqlite;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Testing.Cache;

/// <summary>SQLite task databases: one fresh database file per test, in a temp folder removed at the end.</summary>
public sealed class SqliteTaskDatabaseFixture : ITaskDatabaseFixture, IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("redisflow-sqlite-").FullName;

    /// <inheritdoc />
    public string Provider => SqliteTaskSourceFactory.ProviderName;

    /// <inheritdoc />
    public async Task<ITestTaskDatabase> CreateDatabaseAsync(CancellationToken ct)
    {
        var file = Path.Combine(_folder, $"{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), connectionString, ct).ConfigureAwait(false);
        return new Database(file, connectionString);
    }

    /// <inheritdoc />
    public ITaskSource CreateUnreachableTaskSource() =>
        // ReadWrite without Create: a file in a folder that does not exist cannot be opened.
        new SqliteTaskSource(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder, "missing-folder", "tasks.db"),
            Mode = SqliteOpenMode.ReadWrite,
        }.ToString());

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled connection; the OS cleans temp folders.
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Database(string file, string connectionString) : ITestTaskDatabase
    {
        public ITaskSource TaskSource { get; } = new SqliteTaskSource(connectionString);

        public IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
        {
            ["TaskSource:Provider"] = SqliteTaskSourceFactory.ProviderName,
            ["TaskSource:ConnectionString"] = connectionString,
        };

        public async Task InsertAsync(RagflowRows rows, CancellationToken ct)
        {
            var connection = new SqliteConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                await RagflowSql.InsertAsync(connection, rows, ct).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync()
        {
            File.Delete(file);
            return ValueTask.CompletedTask;
        }
    }
}
