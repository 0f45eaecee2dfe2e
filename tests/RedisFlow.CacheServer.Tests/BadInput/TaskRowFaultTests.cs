using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.BadInput;

/// <summary>
/// Task rows another program (or a hand edit) left broken (docs/bad-input.md): NULL or empty names, names of absurd
/// length, a NUL inside, absurd sizes, a NULL task time. The cycle skips each broken row with a reason it logs
/// once, caches the good ones, and runs again.
/// </summary>
public sealed class TaskRowFaultTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_with_nulls_or_absurd_names_are_skipped_with_a_reason_and_the_good_rows_are_cached_every_cycle()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        await using var store = await stores.CreateStoreAsync(Ct);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var good = rows.AddDocument(kb, "good.pdf");
        var hugeSize = rows.AddDocument(kb, "huge-size.pdf");
        var nullLocation = rows.AddDocument(kb, "null-location.pdf");
        var emptyKb = rows.AddDocument(kb, "empty-kb.pdf");
        var longLocation = rows.AddDocument(kb, "long.pdf");
        var nulLocation = rows.AddDocument(kb, "nul.pdf");
        var nullTime = rows.AddDocument(kb, "null-time.pdf");
        await db.InsertAsync(rows, Ct);
        foreach (var name in new[] { "good.pdf", "huge-size.pdf", "null-time.pdf" })
        {
            await store.UploadAsync(kb, name, new MemoryStream("content of "u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(name)).ToArray()), Ct);
        }

        await ExecuteAsync(db, $"""
            UPDATE document SET size = 9223372036854775807 WHERE id = '{hugeSize.Id}';
            UPDATE document SET size = -1 WHERE id = '{good.Id}';
            UPDATE document SET location = NULL WHERE id = '{nullLocation.Id}';
            UPDATE document SET kb_id = '' WHERE id = '{emptyKb.Id}';
            UPDATE document SET location = '{new string('x', 100_000)}' WHERE id = '{longLocation.Id}';
            UPDATE document SET location = 'a' || char(0) || 'b.pdf' WHERE id = '{nulLocation.Id}';
            UPDATE task SET create_time = NULL WHERE doc_id = '{nullTime.Id}';
            """);

        var logs = new CapturingLoggerFactory();
        var cycle = new CacheCycle(redis.Db, db.TaskSource, store.Storage, new CacheOptions(), logs.CreateLogger<CacheCycle>());
        var first = await cycle.RunOnceAsync(Ct);
        var second = await cycle.RunOnceAsync(Ct);

        Assert.Equal(FileOutcome.Cached, first.Outcomes[new OngoingDocument(kb, "good.pdf")]);
        Assert.Equal(FileOutcome.Cached, first.Outcomes[new OngoingDocument(kb, "huge-size.pdf")]);
        Assert.Equal("content of huge-size.pdf", await redis.Db.GetAsync($"{kb}/huge-size.pdf", Ct));
        var invalid = first.Outcomes.Where(o => o.Value == FileOutcome.InvalidRow).Select(o => o.Key).ToList();
        Assert.Equal(4, invalid.Count);
        Assert.Contains(new OngoingDocument(kb, string.Empty), invalid);
        Assert.Contains(new OngoingDocument(string.Empty, "empty-kb.pdf"), invalid);
        // A NULL task time: not ongoing by RAGFlow's own query, so not even listed (task.progress is NOT NULL in the DDL).
        Assert.DoesNotContain(first.Documents, d => d.Location == "null-time.pdf");
        // The next cycle runs the same way: the broken rows stop nothing.
        Assert.Equal(first.Outcomes.Count, second.Outcomes.Count);
        Assert.Equal(4, second.Outcomes.Values.Count(o => o == FileOutcome.InvalidRow));
        Assert.Equal(2, second.Outcomes.Values.Count(o => o == FileOutcome.AlreadyCached));

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains(warnings, m => m.Contains("has no location: NULL or empty", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("has no bucket", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("100000 bytes long", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("contains a NUL character", StringComparison.Ordinal));
        // Once per row and reason, not once per cycle.
        Assert.Equal(4, warnings.Count(m => m.Contains("the task row", StringComparison.Ordinal)));
    }

    private static async Task ExecuteAsync(ITestTaskDatabase db, string sql)
    {
        var connection = new SqliteConnection(db.Settings["TaskSource:ConnectionString"]);
        await using (connection)
        {
            await connection.OpenAsync(Ct);
            var command = connection.CreateCommand();
            await using (command)
            {
                command.CommandText = sql;
                Assert.Equal(7, await command.ExecuteNonQueryAsync(Ct));
            }
        }
    }
}
