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

    /// <summary>The advisory-lock id RAGFlow derives from the name <c>get_task</c>.</summary>
    public static long QueryLockId { get; } = AdvisoryLockId(QueryLockName);

    /// <summary>How often, and how far apart, the lock is tried before the cycle gives up (RAGFlow's retry).</summary>
    private const int LockAttempts = 3;

    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// RAGFlow's id for a named advisory lock: the MD5 of the name read as an unsigned big-endian integer, modulo
    /// 2^31 - 1 (MD5 here is a name-to-number mapping shared with Python, not security).
    /// </summary>
    public static long AdvisoryLockId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
#pragma warning disable CA5351
        var digest = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name));
#pragma warning restore CA5351
        return (long)(new System.Numerics.BigInteger(digest, isUnsigned: true, isBigEndian: true) % int.MaxValue);
    }

    /// <summary><c>pg_try_advisory_lock</c> on RAGFlow's id, tried 3 times a second apart as RAGFlow does.</summary>
    protected override async Task AcquireQueryLockAsync(DbConnection connection, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= LockAttempts; attempt++)
        {
            if (await ScalarAsync(connection, "SELECT pg_try_advisory_lock(@p0)", ct, QueryLockId).ConfigureAwait(false) is true)
            {
                return;
            }

            if (attempt < LockAttempts)
            {
                await Task.Delay(LockRetryDelay, ct).ConfigureAwait(false);
            }
        }

        throw new TaskSourceUnavailableException(ProviderName, Target,
            $"the lock '{QueryLockName}' (advisory lock {QueryLockId}) is held by another daemon; the next cycle tries again.");
    }

    /// <summary><c>pg_advisory_unlock</c> on the same id and connection.</summary>
    protected override Task ReleaseQueryLockAsync(DbConnection connection, CancellationToken ct) =>
        ScalarAsync(connection, "SELECT pg_advisory_unlock(@p0)", ct, QueryLockId);
}
