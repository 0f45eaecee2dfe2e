using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;

namespace RedisFlow.Testing.Cache;

/// <summary>
/// A real task database server (or engine) for the cache-daemon tests: hands out fresh, isolated databases holding
/// RAGFlow's tables, so tests run in parallel without seeing each other's rows. One implementation per provider
/// (sqlite, mysql, postgres); the shared end-to-end suite runs on each.
/// </summary>
public interface ITaskDatabaseFixture
{
    /// <summary>The <c>TaskSource:Provider</c> value, for example <c>sqlite</c>.</summary>
    string Provider { get; }

    /// <summary>Creates an empty database with RAGFlow's tables <c>document</c>, <c>task</c>, <c>file</c>, <c>file2document</c>.</summary>
    Task<ITestTaskDatabase> CreateDatabaseAsync(CancellationToken ct);

    /// <summary>A task source that cannot reach its database (closed port, missing file), for fault tests.</summary>
    ITaskSource CreateUnreachableTaskSource();
}

/// <summary>One isolated database of an <see cref="ITaskDatabaseFixture"/>; disposing drops it.</summary>
public interface ITestTaskDatabase : IAsyncDisposable
{
    /// <summary>The task source reading this database.</summary>
    ITaskSource TaskSource { get; }

    /// <summary>
    /// Configuration that selects this database, for a daemon started from configuration (a child process):
    /// <c>TaskSource:Provider</c>, <c>TaskSource:ConnectionString</c> and any provider settings.
    /// </summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Inserts RAGFlow rows (see <see cref="RagflowRows"/>; <see cref="RagflowSql"/> does it over ADO.NET).</summary>
    Task InsertAsync(RagflowRows rows, CancellationToken ct);
}
