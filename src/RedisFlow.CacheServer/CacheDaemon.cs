using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RedisFlow.CacheServer.Caching;
using RedisFlow.CacheServer.Diagnostics;

namespace RedisFlow.CacheServer;

/// <summary>
/// The file-cache daemon (RAGFlow's <c>cache_file_svr.py</c>) as a hosted service: runs a <see cref="CacheCycle"/>,
/// waits <see cref="CacheOptions.PollInterval"/>, and again, until the host stops (SIGTERM, Ctrl-C).
/// </summary>
public sealed class CacheDaemon(CacheCycle cycle, ILogger<CacheDaemon>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? NullLogger<CacheDaemon>.Instance;
    private long _cycles;

    /// <summary>Cycles completed so far.</summary>
    public long CyclesCompleted => Interlocked.Read(ref _cycles);

    /// <summary>The report of the last completed cycle, or null before the first.</summary>
    public CycleReport? LastReport { get; private set; }

    /// <summary>Raised after each cycle with its report (on the daemon's loop; keep handlers short).</summary>
    public event EventHandler<CycleReport>? CycleCompleted;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = cycle.Options;
        CacheLog.Started(_logger, cycle.TaskSourceName, cycle.StorageName, options.Ttl, options.PollInterval, options.ParallelFetches);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var report = await cycle.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    LastReport = report;
                    Interlocked.Increment(ref _cycles);
                    CycleCompleted?.Invoke(this, report);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // RunOnceAsync handles source, storage and Redis failures; this is the last guard so the loop never dies.
                    CacheLog.CycleFailed(_logger, ex);
                }

                await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the file in flight was aborted (claim released, partial copy dropped).
        }
        finally
        {
            CacheLog.Stopped(_logger, CyclesCompleted);
        }
    }
}
