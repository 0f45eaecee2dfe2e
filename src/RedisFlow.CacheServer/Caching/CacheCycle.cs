using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.CacheServer.Diagnostics;
using RedisFlow.CacheServer.Storage;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.CacheServer.Caching;

/// <summary>
/// One pass of the seed's <c>main()</c>: collect the ongoing documents, then cache each missing file, with at most
/// <see cref="CacheOptions.ParallelFetches"/> in flight. A failure on one file is logged and the others go on.
/// </summary>
public sealed class CacheCycle
{
    private readonly RedisDb _db;
    private readonly ITaskSource _tasks;
    private readonly CacheOptions _options;
    private readonly ILogger _logger;
    private readonly FileCacher _cacher;
    private readonly FileFailureLog _failures;

    /// <summary>Creates a cycle over <paramref name="tasks"/> and <paramref name="storage"/> writing to <paramref name="db"/>.</summary>
    /// <exception cref="RedisFlowConfigurationException">An option is invalid.</exception>
    public CacheCycle(RedisDb db, ITaskSource tasks, IFileStorage storage, CacheOptions options, ILogger<CacheCycle>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _db = db;
        _tasks = tasks;
        _options = options;
        _logger = logger ?? NullLogger<CacheCycle>.Instance;
        _failures = new FileFailureLog(_logger);
        _cacher = new FileCacher(db, storage, options, new ChunkWindow(options.ChunksInFlight, options.ChunkSize), _failures, _logger);
        TaskSourceName = tasks.Name;
        StorageName = storage.Name;
    }

    /// <summary>The task source's provider name.</summary>
    public string TaskSourceName { get; }

    /// <summary>The storage's provider name.</summary>
    public string StorageName { get; }

    /// <summary>The options in use.</summary>
    public CacheOptions Options => _options;

    /// <summary>Runs one cycle. Never throws for a task-source, storage or Redis failure; cancellation throws.</summary>
    public async Task<CycleReport> RunOnceAsync(CancellationToken ct)
    {
        using var span = CacheTelemetry.StartCycle(_tasks.Name);
        var report = await RunCycleAsync(ct).ConfigureAwait(false);
        CacheTelemetry.EndCycle(span, report);
        return report;
    }

    private async Task<CycleReport> RunCycleAsync(CancellationToken ct)
    {
        IReadOnlyList<OngoingDocument> documents;
        try
        {
            documents = await _tasks.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            CacheLog.TaskSourceFailed(_logger, _tasks.Name, ex.GetType().Name, CacheLog.Short(ex), ex);
            CacheMetrics.RecordFailure("task_source");
            return new CycleReport { Documents = [], Outcomes = new Dictionary<OngoingDocument, FileOutcome>(), TaskSourceError = ex };
        }

        var outcomes = new ConcurrentDictionary<OngoingDocument, FileOutcome>();
        if (documents.Count == 0)
        {
            return new CycleReport { Documents = documents, Outcomes = outcomes };
        }

        CacheLog.Tasks(_logger, documents.Count);
        if (!_db.IsAlive)
        {
            CacheLog.RedisDown(_logger, documents.Count);
            foreach (var document in documents)
            {
                outcomes[document] = FileOutcome.RedisDown;
                CacheMetrics.RecordOutcome(FileOutcome.RedisDown);
            }

            return new CycleReport { Documents = documents, Outcomes = outcomes };
        }

        var budgets = await NodeMemoryBudgets.SampleAsync(_db, _options.MemoryGuardFraction, ct).ConfigureAwait(false);
        foreach (var over in budgets.Over)
        {
            CacheLog.MemoryGuard(_logger, over.Used, _options.MemoryGuardFraction, over.Max, documents.Count);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.ParallelFetches, CancellationToken = ct };
        await Parallel.ForEachAsync(documents, parallel, async (document, token) =>
        {
            using var span = CacheTelemetry.StartFile(document);
            var outcome = await CacheOneAsync(document, budgets.For(document.CacheKey), token).ConfigureAwait(false);
            outcomes[document] = outcome;
            CacheMetrics.RecordOutcome(outcome);
            CacheTelemetry.EndFile(span, outcome);
        }).ConfigureAwait(false);
        return new CycleReport { Documents = documents, Outcomes = outcomes };
    }

    private async Task<FileOutcome> CacheOneAsync(OngoingDocument document, MemoryBudget budget, CancellationToken ct)
    {
        if (OngoingDocumentCheck.Problem(document) is { } problem)
        {
            // Warned once per row and reason, then at Debug with back-off, like a failing file.
            _failures.Failed(document.CacheKey, new ArgumentException(problem));
            return FileOutcome.InvalidRow;
        }

        try
        {
            var outcome = await _cacher.CacheAsync(document, budget, ct).ConfigureAwait(false);
            if (outcome is FileOutcome.Cached or FileOutcome.AlreadyCached)
            {
                _failures.Succeeded(document.CacheKey);
            }

            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The seed's per-file try/except: one bad file never stops the others.
            _failures.Failed(document.CacheKey, ex);
            return FileOutcome.Failed;
        }
    }
}
