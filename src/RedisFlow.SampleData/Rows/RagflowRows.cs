namespace RedisFlow.SampleData;

/// <summary>Rows of RAGFlow's tables to insert, built fluently: sample data for the demo, the tests and the benchmarks.</summary>
public sealed class RagflowRows
{
    /// <summary>Rows of <c>document</c>.</summary>
    public List<RagflowDocument> Documents { get; } = [];

    /// <summary>Rows of <c>task</c>.</summary>
    public List<RagflowTask> Tasks { get; } = [];

    /// <summary>Rows of <c>file</c>.</summary>
    public List<RagflowFile> Files { get; } = [];

    /// <summary>Rows of <c>file2document</c>.</summary>
    public List<RagflowFileLink> FileLinks { get; } = [];

    /// <summary>A new 32-character id, as RAGFlow's <c>get_uuid()</c>.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Adds a document and one task for it. Defaults describe a document being processed now: valid, running, not
    /// virtual, task progress 0, created now; change any to make it not match.
    /// </summary>
    public RagflowDocument AddDocument(string kbId, string location, string status = "1", string run = "1", string type = "pdf",
        double progress = 0, DateTimeOffset? taskCreated = null)
    {
        var document = new RagflowDocument(NewId(), kbId, location) { Status = status, Run = run, Type = type };
        Documents.Add(document);
        Tasks.Add(new RagflowTask(NewId(), document.Id, progress, (taskCreated ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds()));
        return document;
    }

    /// <summary>Links <paramref name="document"/> to a new file row whose <c>parent_id</c> is <paramref name="parentId"/>.</summary>
    public RagflowFile LinkFile(RagflowDocument document, string parentId)
    {
        ArgumentNullException.ThrowIfNull(document);
        var file = new RagflowFile(NewId(), parentId, document.Location, document.Location);
        Files.Add(file);
        FileLinks.Add(new RagflowFileLink(NewId(), file.Id, document.Id));
        return file;
    }
}

/// <summary>A <c>document</c> row: the columns the query reads, plus ids and names.</summary>
public sealed record RagflowDocument(string Id, string KbId, string Location)
{
    /// <summary><c>status</c>: '1' valid (RAGFlow's <c>StatusEnum.VALID</c>), '0' invalid.</summary>
    public string Status { get; init; } = "1";

    /// <summary><c>run</c>: '1' running (<c>TaskStatus.RUNNING</c>), '0' unstart, '2' cancel, '3' done, '4' fail.</summary>
    public string Run { get; init; } = "1";

    /// <summary><c>type</c>: pdf, doc, visual, aural, virtual, other.</summary>
    public string Type { get; init; } = "pdf";

    /// <summary><c>name</c>.</summary>
    public string Name { get; init; } = Location;
}

/// <summary>A <c>task</c> row: <c>progress</c> (1 = finished) and <c>create_time</c> in epoch milliseconds.</summary>
public sealed record RagflowTask(string Id, string DocId, double Progress, long CreateTime);

/// <summary>A <c>file</c> row; <c>parent_id</c> becomes the bucket of linked documents.</summary>
public sealed record RagflowFile(string Id, string ParentId, string Name, string? Location)
{
    /// <summary><c>type</c>.</summary>
    public string Type { get; init; } = "pdf";
}

/// <summary>A <c>file2document</c> row.</summary>
public sealed record RagflowFileLink(string Id, string FileId, string DocumentId);
