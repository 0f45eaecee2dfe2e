namespace RedisFlow.CacheServer.Tasks;

/// <summary>
/// A document being processed, as RAGFlow's <c>TaskService.get_ongoing_doc_name</c> returns it: the storage bucket
/// (the file's <c>parent_id</c> when the document is linked through <c>file2document</c>, else its <c>kb_id</c>)
/// and the object's location. Its cache key is <c>"{Bucket}/{Location}"</c>.
/// </summary>
public sealed record OngoingDocument(string Bucket, string Location)
{
    /// <summary>The Redis key RAGFlow's workers read the cached file from.</summary>
    public string CacheKey => $"{Bucket}/{Location}";
}
