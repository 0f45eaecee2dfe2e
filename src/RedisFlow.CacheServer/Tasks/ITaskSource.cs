namespace RedisFlow.CacheServer.Tasks;

/// <summary>Where the daemon learns which documents are being processed: RAGFlow's task database.</summary>
public interface ITaskSource
{
    /// <summary>Provider name for logs and metrics, for example <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The distinct ongoing documents at <paramref name="now"/> (RAGFlow's <c>get_ongoing_doc_name</c>). Opens a
    /// database connection for the call and releases it before returning, as the seed closes it after each cycle.
    /// </summary>
    Task<IReadOnlyList<OngoingDocument>> GetOngoingDocumentsAsync(DateTimeOffset now, CancellationToken ct);
}
