using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>
/// RAGFlow's ongoing-documents query (<c>TaskService.get_ongoing_doc_name</c>) against a real database with RAGFlow's
/// tables. Written once; each task source is a one-line subclass.
/// </summary>
public abstract class OngoingDocumentsQueryTests(ITaskDatabaseFixture databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Returns_exactly_the_documents_being_processed_with_the_right_bucket()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var kb = RagflowRows.NewId();
        var folder = RagflowRows.NewId();
        var rows = new RagflowRows();

        // Matching: running, valid, not virtual, unfinished task created within 10 minutes.
        rows.AddDocument(kb, "a.pdf", taskCreated: now);
        rows.AddDocument(kb, "half way.docx", type: "doc", progress: 0.5, taskCreated: now.AddMinutes(-9));
        rows.AddDocument(kb, "failed-task.pdf", progress: -1, taskCreated: now.AddMinutes(-1)); // RAGFlow marks failures -1: still < 1
        rows.LinkFile(rows.AddDocument(kb, "linked.txt", type: "other", taskCreated: now), folder);

        // Not matching: one reason each.
        rows.AddDocument(kb, "finished.pdf", progress: 1, taskCreated: now);
        rows.AddDocument(kb, "cancelled.pdf", run: "2", taskCreated: now);
        rows.AddDocument(kb, "unstarted.pdf", run: "0", taskCreated: now);
        rows.AddDocument(kb, "done.pdf", run: "3", taskCreated: now);
        rows.AddDocument(kb, "invalid.pdf", status: "0", taskCreated: now);
        rows.AddDocument(kb, "virtual.pdf", type: "virtual", taskCreated: now);
        rows.AddDocument(kb, "old.pdf", taskCreated: now.AddMinutes(-11));
        await db.InsertAsync(rows, Ct);

        var found = await db.TaskSource.GetOngoingDocumentsAsync(now, Ct);

        Assert.Equal(
            new[] { $"{folder}/linked.txt", $"{kb}/a.pdf", $"{kb}/failed-task.pdf", $"{kb}/half way.docx" }.Order(StringComparer.Ordinal),
            found.Select(d => d.CacheKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_bucket_and_location_pair_appears_once()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        var document = rows.AddDocument(kb, "many-tasks.pdf", taskCreated: now);
        // More tasks of the same document (RAGFlow splits a document into page ranges), and a second document
        // row with the same bucket and location.
        rows.Tasks.Add(new RagflowTask(RagflowRows.NewId(), document.Id, 0.2, now.ToUnixTimeMilliseconds()));
        rows.Tasks.Add(new RagflowTask(RagflowRows.NewId(), document.Id, 0.7, now.AddMinutes(-3).ToUnixTimeMilliseconds()));
        rows.AddDocument(kb, "many-tasks.pdf", taskCreated: now);
        await db.InsertAsync(rows, Ct);

        var found = await db.TaskSource.GetOngoingDocumentsAsync(now, Ct);

        Assert.Equal([new OngoingDocument(kb, "many-tasks.pdf")], found);
    }

    [Fact]
    public async Task The_ten_minute_window_is_measured_from_the_time_asked_for()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var created = DateTimeOffset.UtcNow.AddHours(-1);
        var kb = RagflowRows.NewId();
        var rows = new RagflowRows();
        rows.AddDocument(kb, "an-hour-ago.pdf", taskCreated: created);
        await db.InsertAsync(rows, Ct);

        var then = await db.TaskSource.GetOngoingDocumentsAsync(created.AddMinutes(5), Ct);
        var now = await db.TaskSource.GetOngoingDocumentsAsync(created.AddMinutes(11), Ct);

        Assert.Equal([new OngoingDocument(kb, "an-hour-ago.pdf")], then);
        Assert.Empty(now);
    }

    [Fact]
    public async Task An_empty_database_has_no_ongoing_documents()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);

        Assert.Empty(await db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task An_unreachable_database_fails_the_call_without_leaking_the_password()
    {
        var source = databases.CreateUnreachableTaskSource();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.DoesNotContain("unreachable-secret", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class MySqlOngoingDocumentsQueryTests(MySqlTaskDatabaseFixture databases) : OngoingDocumentsQueryTests(databases);

public sealed class PostgreSqlOngoingDocumentsQueryTests(PostgreSqlTaskDatabaseFixture databases) : OngoingDocumentsQueryTests(databases);

public sealed class SqliteOngoingDocumentsQueryTests(SqliteTaskDatabaseFixture databases) : OngoingDocumentsQueryTests(databases), IClassFixture<SqliteTaskDatabaseFixture>;
