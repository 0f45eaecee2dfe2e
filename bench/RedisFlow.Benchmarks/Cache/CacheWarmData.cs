using Microsoft.Data.Sqlite;
using RedisFlow.Benchmarks.Scenarios;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Benchmarks.Cache;

/// <summary>
/// One file set laid out for the daemon: the files under <c>root/bucket/location</c> (local storage) and a SQLite
/// task database listing each as an ongoing document. Deleted on dispose.
/// </summary>
public sealed class CacheWarmData : IDisposable
{
    public const string Bucket = "bench-kb";

    private CacheWarmData(string folder, string root, string databaseFile, IReadOnlyList<string> keys)
    {
        Folder = folder;
        Root = root;
        DatabaseFile = databaseFile;
        Keys = keys;
    }

    public string Folder { get; }

    public string Root { get; }

    public string DatabaseFile { get; }

    public string ConnectionString => $"Data Source={DatabaseFile};Pooling=False";

    /// <summary>The Redis keys the daemon writes: <c>"bucket/location"</c>.</summary>
    public IReadOnlyList<string> Keys { get; }

    public static Task<CacheWarmData> CreateAsync(FileSet set, byte[][] contents, CancellationToken ct) =>
        CreateAsync([(set, contents)], ct);

    /// <summary>Several file sets listed in one task database, so that one daemon cycle caches them all.</summary>
    public static async Task<CacheWarmData> CreateAsync(IReadOnlyList<(FileSet Set, byte[][] Contents)> sets, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("redisflow-bench-cache-").FullName;
        var root = Path.Combine(folder, "storage");
        Directory.CreateDirectory(Path.Combine(root, Bucket));
        var rows = new RagflowRows();
        var keys = new List<string>();
        foreach (var (set, contents) in sets)
        {
            for (var i = 0; i < contents.Length; i++)
            {
                var location = $"{set.Name}-{i:D4}.pdf";
                await File.WriteAllBytesAsync(Path.Combine(root, Bucket, location), contents[i], ct).ConfigureAwait(false);
                rows.AddDocument(Bucket, location);
                keys.Add($"{Bucket}/{location}");
            }
        }

        var data = new CacheWarmData(folder, root, Path.Combine(folder, "tasks.db"), keys);
        await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), data.ConnectionString, ct).ConfigureAwait(false);
        var connection = new SqliteConnection(data.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await RagflowSql.InsertAsync(connection, rows, ct).ConfigureAwait(false);
        }

        return data;
    }

    /// <summary>
    /// Marks every task as created now: the task query only lists tasks of the last 10 minutes, and a long run (a
    /// loaded machine, several placements) reuses one file set for longer than that.
    /// </summary>
    public async Task RefreshTasksAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = "UPDATE task SET create_time = $now";
                command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}
