using System.Data.Common;
using MySqlConnector;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.MySql;

/// <summary>
/// RAGFlow's ongoing-documents query on its MySQL or MariaDB database (RAGFlow's default, database <c>rag_flow</c>).
/// Each call takes a pooled connection and gives it back, as the seed closes its connection after every cycle.
/// </summary>
public sealed class MySqlTaskSource : SqlTaskSource
{
    /// <summary>The provider name, <c>mysql</c> (the value of <c>TaskSource:Provider</c>).</summary>
    public const string ProviderName = "mysql";

    private readonly string _connectionString;

    /// <summary>
    /// Creates the source on <paramref name="connectionString"/>, for example
    /// <c>Server=127.0.0.1;Port=5455;User ID=root;Password=...;Database=rag_flow</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed (the message does not repeat it).</exception>
    public MySqlTaskSource(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        Target = MySqlConnectionErrors.Describe(connectionString);
        _connectionString = connectionString;
    }

    /// <inheritdoc />
    public override string Name => ProviderName;

    /// <summary>Server, port, database and user of the connection string, without the password (for logs).</summary>
    public string Target { get; }

    /// <inheritdoc />
    /// <exception cref="TaskSourceUnavailableException">The server is unreachable, refuses the credentials or lacks the database.</exception>
    protected override Task<DbConnection> OpenConnectionAsync(CancellationToken ct) =>
        MySqlConnectionErrors.OpenAsync(_connectionString, Target, ct);

    /// <summary>How long the query waits for RAGFlow's <c>get_task</c> lock: RAGFlow's own wait for its -1 timeout.</summary>
    public static readonly TimeSpan QueryLockWait = TimeSpan.FromSeconds(60);

    /// <summary><c>GET_LOCK('get_task', 60)</c>, the lock RAGFlow's daemons take around this query.</summary>
    protected override async Task AcquireQueryLockAsync(DbConnection connection, CancellationToken ct)
    {
        var seconds = (int)QueryLockWait.TotalSeconds;
        var taken = await ScalarAsync(connection, "SELECT GET_LOCK(@p0, @p1)", ct, QueryLockName, seconds).ConfigureAwait(false);
        if (taken is null || Convert.ToInt64(taken, System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            throw new TaskSourceUnavailableException(ProviderName, Target,
                $"the lock '{QueryLockName}' (GET_LOCK) stayed held by another daemon for {seconds} s; the next cycle tries again.");
        }
    }

    /// <summary><c>RELEASE_LOCK('get_task')</c>.</summary>
    protected override Task ReleaseQueryLockAsync(DbConnection connection, CancellationToken ct) =>
        ScalarAsync(connection, "SELECT RELEASE_LOCK(@p0)", ct, QueryLockName);
}
