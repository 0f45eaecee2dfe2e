using MySqlConnector;
using Npgsql;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Testing;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>
/// The task sources take RAGFlow's <c>get_task</c> lock around the ongoing-documents query, with the same SQL as
/// RAGFlow's <c>DB.lock</c>, so a RedisFlow daemon and a Python one take turns. Another session holding the lock is
/// what a Python daemon in the middle of its query looks like to the database.
/// </summary>
public sealed class QueryLockTests(MySqlTaskDatabaseFixture mysql, PostgreSqlTaskDatabaseFixture postgres)
    : IClassFixture<MySqlTaskDatabaseFixture>, IClassFixture<PostgreSqlTaskDatabaseFixture>
{
    /// <summary><c>int(hashlib.md5(b"get_task").hexdigest(), 16) % (2**31 - 1)</c>, computed with Python.</summary>
    private const long RagflowGetTaskLockId = 204313373;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_advisory_lock_id_is_the_one_ragflow_computes() =>
        Assert.Equal(RagflowGetTaskLockId, PostgreSqlTaskSource.QueryLockId);

    [Fact]
    public async Task Mysql_waits_for_a_get_lock_held_elsewhere_and_releases_its_own()
    {
        await using var db = await mysql.CreateDatabaseAsync(Ct);
        await using var other = new MySqlConnection(db.Settings["TaskSource:ConnectionString"]);
        await other.OpenAsync(Ct);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(other, "SELECT GET_LOCK('get_task', 0)"), System.Globalization.CultureInfo.InvariantCulture));

        var query = db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct);
        // The source's session is seen waiting on the user lock, and its query has not returned.
        await Poll.UntilAsync(
            async () => Convert.ToInt64(await ScalarAsync(other, "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT GET_LOCK(%'"), System.Globalization.CultureInfo.InvariantCulture) > 0,
            TimeSpan.FromSeconds(20), "the task source to wait for get_task", Ct);
        Assert.False(query.IsCompleted);

        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(other, "SELECT RELEASE_LOCK('get_task')"), System.Globalization.CultureInfo.InvariantCulture));
        await query.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(other, "SELECT IS_FREE_LOCK('get_task')"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Postgres_gives_up_while_the_advisory_lock_is_held_elsewhere_and_releases_its_own()
    {
        await using var db = await postgres.CreateDatabaseAsync(Ct);
        await using var other = new NpgsqlConnection(db.Settings["TaskSource:ConnectionString"]);
        await other.OpenAsync(Ct);
        Assert.Equal(true, await ScalarAsync(other, $"SELECT pg_try_advisory_lock({RagflowGetTaskLockId})"));

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));
        Assert.Contains("get_task", error.Message, StringComparison.Ordinal);

        Assert.Equal(true, await ScalarAsync(other, $"SELECT pg_advisory_unlock({RagflowGetTaskLockId})"));
        Assert.NotNull(await db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));
        // Free again: another session can take it at once.
        Assert.Equal(true, await ScalarAsync(other, $"SELECT pg_try_advisory_lock({RagflowGetTaskLockId})"));
        Assert.Equal(true, await ScalarAsync(other, $"SELECT pg_advisory_unlock({RagflowGetTaskLockId})"));
    }

    private static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(Ct);
        return value is DBNull ? null : value;
    }
}
