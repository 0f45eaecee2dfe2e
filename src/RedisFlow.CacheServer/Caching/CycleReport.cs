using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.CacheServer.Caching;

/// <summary>What one cycle did: the ongoing documents it saw and the outcome for each.</summary>
public sealed class CycleReport
{
    /// <summary>The ongoing documents the task source returned; empty when it failed.</summary>
    public required IReadOnlyList<OngoingDocument> Documents { get; init; }

    /// <summary>The outcome for each document that was handled.</summary>
    public required IReadOnlyDictionary<OngoingDocument, FileOutcome> Outcomes { get; init; }

    /// <summary>The task source's failure, when it could not be read this cycle.</summary>
    public Exception? TaskSourceError { get; init; }

    /// <summary>How many documents ended with <paramref name="outcome"/>.</summary>
    public int Count(FileOutcome outcome) => Outcomes.Values.Count(o => o == outcome);
}
