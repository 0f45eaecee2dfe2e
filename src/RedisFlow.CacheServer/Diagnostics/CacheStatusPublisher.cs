using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RedisFlow.CacheServer.Caching;

namespace RedisFlow.CacheServer.Diagnostics;

/// <summary>
/// Writes the daemon's <see cref="CacheStatus"/> to Redis after each cycle (and every few seconds while a long cycle
/// runs), with a TTL of <see cref="Ttl"/>, so a dashboard can show it and notice a daemon that stopped.
/// </summary>
public sealed class CacheStatusPublisher : BackgroundService
{
    /// <summary>How long a published status lives without being refreshed.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private readonly CacheDaemon _daemon;
    private readonly RedisDb _db;
    private readonly string _instance = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}");
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly SemaphoreSlim _cycleDone = new(0, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);
    private CacheCycleStatus? _last;

    /// <summary>Publishes the status of <paramref name="daemon"/> through <paramref name="db"/>.</summary>
    public CacheStatusPublisher(CacheDaemon daemon, RedisDb db)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        ArgumentNullException.ThrowIfNull(db);
        _daemon = daemon;
        _db = db;
        _daemon.CycleCompleted += OnCycle;
    }

    /// <summary>The key this daemon's status is written to.</summary>
    public string Key => CacheStatus.KeyPrefix + _instance;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PublishAsync(stoppingToken).ConfigureAwait(false);
            // After each cycle, or at the latest after the heartbeat, so the status outlives a long cycle.
            await _cycleDone.WaitAsync(Heartbeat, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _daemon.CycleCompleted -= OnCycle;
        _cycleDone.Dispose();
        base.Dispose();
    }

    private Task<bool> PublishAsync(CancellationToken ct)
    {
        CacheStatus status;
        lock (_gate)
        {
            status = new CacheStatus(_instance, _startedAt, DateTimeOffset.UtcNow, _daemon.CyclesCompleted, new Dictionary<string, long>(_totals), _last);
        }

        // A failure is answered false (Redis down): the daemon logs that already; the next cycle writes again.
        return _db.SetAsync(Key, JsonSerializer.Serialize(status, CacheStatus.JsonOptions), (int)Ttl.TotalSeconds, ct);
    }

    private void OnCycle(object? sender, CycleReport report)
    {
        // Runs on the daemon's loop: count and signal only; the write happens on this service's own loop.
        var outcomes = report.Outcomes.Values.GroupBy(FileOutcomeNames.TagOf).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (tag, count) in outcomes)
            {
                _totals[tag] = _totals.GetValueOrDefault(tag) + count;
            }

            _last = new CacheCycleStatus(DateTimeOffset.UtcNow, report.Documents.Count, outcomes,
                report.TaskSourceError is { } e ? $"{e.GetType().Name}: {e.Message}" : null);
        }

        if (_cycleDone.CurrentCount == 0)
        {
            try
            {
                _cycleDone.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a cycle a moment ago: one write covers both.
            }
        }
    }
}

/// <summary>Registers <see cref="CacheStatusPublisher"/>.</summary>
public static class CacheStatusServiceCollectionExtensions
{
    /// <summary>Makes the daemon publish its status for the dashboard (needs <c>AddRedisFlowCacheServer</c>).</summary>
    public static IServiceCollection AddRedisFlowCacheStatus(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CacheStatusPublisher>(sp =>
            new CacheStatusPublisher(sp.GetRequiredService<CacheDaemon>(), sp.GetRequiredService<RedisDb>())));
        return services;
    }
}
