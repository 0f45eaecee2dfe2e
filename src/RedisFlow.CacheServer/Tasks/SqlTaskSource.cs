using System.Data.Common;

namespace RedisFlow.CacheServer.Tasks;

/// <summary>
/// RAGFlow's <c>TaskService.get_ongoing_doc_name</c> on its own tables (<c>task</c>, <c>document</c>,
/// <c>file2document</c>, <c>file</c>), over any ADO.NET provider. Providers supply the connection.
/// </summary>
public abstract class SqlTaskSource : ITaskSource
{
    /// <summary>How far back a task's <c>create_time</c> (epoch milliseconds) may be: RAGFlow's 10 minutes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The query, in SQL every provider understands. Values are RAGFlow's enums: <c>StatusEnum.VALID = '1'</c>,
    /// <c>TaskStatus.RUNNING = '1'</c>, <c>FileType.VIRTUAL = 'virtual'</c>.
    /// </summary>
    public const string OngoingDocumentsSql = """
        SELECT DISTINCT d.kb_id, d.location, f.parent_id
        FROM task t
        JOIN document d ON t.doc_id = d.id
        LEFT OUTER JOIN file2document f2d ON f2d.document_id = d.id
        LEFT OUTER JOIN file f ON f2d.file_id = f.id
        WHERE d.status = '1'
          AND d.run = '1'
          AND d.type <> 'virtual'
          AND t.progress < 1
          AND t.create_time >= @since
        """;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OngoingDocument>> GetOngoingDocumentsAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = (now - Window).ToUnixTimeMilliseconds();
        var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await AcquireQueryLockAsync(connection, ct).ConfigureAwait(false);
            try
            {
                return await QueryAsync(connection, since, ct).ConfigureAwait(false);
            }
            finally
            {
                // Released even when the caller gave up: a lock left behind would stall RAGFlow's own daemons.
                await ReleaseQueryLockAsync(connection, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> (statements separated by <c>;</c>) on the task database, on a connection opened
    /// as the query's is, so it fails with the same <see cref="TaskSourceUnavailableException"/>: for setup such as
    /// creating RAGFlow's tables.
    /// </summary>
    public async Task ExecuteScriptAsync(string script, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        var connection = await OpenConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = script;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The lock RAGFlow takes around this query (<c>DB.lock("get_task", -1)</c>), so a RedisFlow daemon and a Python one
    /// take turns as two Python ones do; none by default (SQLite, where RAGFlow takes none either).
    /// </summary>
    /// <exception cref="TaskSourceUnavailableException">The lock could not be taken.</exception>
    protected virtual Task AcquireQueryLockAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Releases what <see cref="AcquireQueryLockAsync"/> took, on the same connection.</summary>
    protected virtual Task ReleaseQueryLockAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The name of RAGFlow's lock around the ongoing-documents query.</summary>
    public const string QueryLockName = "get_task";

    /// <summary>Runs one scalar statement with positional values <c>@p0</c>, <c>@p1</c>, ... (for the providers' locks).</summary>
    protected static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(values);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameter.Value = values[i];
                command.Parameters.Add(parameter);
            }

            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    private static async Task<IReadOnlyList<OngoingDocument>> QueryAsync(DbConnection connection, long since, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = OngoingDocumentsSql;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@since";
            parameter.Value = since;
            command.Parameters.Add(parameter);

            var result = new HashSet<OngoingDocument>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var kbId = reader.IsDBNull(0) ? null : reader.GetString(0);
                    var location = reader.IsDBNull(1) ? null : reader.GetString(1);
                    var parentId = reader.IsDBNull(2) ? null : reader.GetString(2);
                    var bucket = string.IsNullOrEmpty(parentId) ? kbId : parentId;
                    // Rows without a bucket or location are kept (as empty strings): the cycle skips them with a
                    // reason, where dropping them here hid them from the operator.
                    result.Add(new OngoingDocument(bucket ?? string.Empty, location ?? string.Empty));
                }
            }

            return [.. result];
        }
    }

    /// <summary>Opens a new (pooled) connection; the caller disposes it, which returns it to the pool.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken ct);
}
