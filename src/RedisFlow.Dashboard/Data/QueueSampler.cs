using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow.Dashboard.Data;

/// <summary>
/// Finds the queues (streams matching <see cref="DashboardOptions.QueuePatterns"/>, plus <see cref="DashboardOptions.Queues"/>)
/// and samples them: length, groups, consumers, pending, lag, and the entries added and delivered since the last sample,
/// which make the throughput sparklines. Sampled in the background (<see cref="QueueSamplingService"/>) and when a page asks.
/// </summary>
internal sealed class QueueSampler : IDisposable
{
    private static readonly TimeSpan FreshEnough = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RediscoverOnRequest = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RediscoverInBackground = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Queue<Sample>> _history = new(StringComparer.Ordinal);
    private List<string> _discovered = [];
    private DateTimeOffset _discoveredAt = DateTimeOffset.MinValue;
    private DateTimeOffset _sampledAt = DateTimeOffset.MinValue;
    private readonly RedisDb _db;
    private readonly IOptions<DashboardOptions> _options;
    private IReadOnlyList<QueueRow> _rows = [];

    public QueueSampler(RedisDb db, IOptions<DashboardOptions> options, IMeterFactory meters)
    {
        _db = db;
        _options = options;
        // The latest sample as gauges too (the dashboard's /metrics): read as it stands, never sampled for a scrape.
        QueueSampleGauges.Register(meters, () => _rows);
    }

    private DashboardOptions Options => _options.Value;

    /// <summary>The latest rows; sampled now when the background sample is overdue or the queues were not searched for recently.</summary>
    public async Task<IReadOnlyList<QueueRow>> CurrentAsync(CancellationToken ct)
    {
        // The background sampler keeps the cadence (even intervals make even sparklines) but searches for new
        // queues rarely: a page asking finds a new queue within seconds, and samples only when the sampler lags.
        var now = DateTimeOffset.UtcNow;
        if (now - _sampledAt > Options.SampleInterval + FreshEnough || now - _discoveredAt > RediscoverOnRequest)
        {
            await SampleAsync(RediscoverOnRequest, ct).ConfigureAwait(false);
        }

        return _rows;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Takes one sample; finds the queues again when the last search is older than <paramref name="rediscoverAfter"/>.</summary>
    public async Task SampleAsync(TimeSpan rediscoverAfter, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = DateTimeOffset.UtcNow;
            if (now - _discoveredAt > rediscoverAfter)
            {
                _discovered = await DiscoverAsync(ct).ConfigureAwait(false);
                _discoveredAt = now;
            }

            var database = await _db.GetDatabaseAsync(ct).ConfigureAwait(false);
            var names = _discovered.Union(Options.Queues, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var rows = new List<QueueRow>(names.Count);
            foreach (var name in names)
            {
                if (await ReadAsync(database, name, now).ConfigureAwait(false) is { } row)
                {
                    rows.Add(row);
                }
            }

            foreach (var gone in _history.Keys.Except(names, StringComparer.Ordinal).ToList())
            {
                _history.Remove(gone);
            }

            _rows = rows;
            _sampledAt = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<string>> DiscoverAsync(CancellationToken ct)
    {
        var database = await _db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var found = new List<string>();
        foreach (var key in await KeyScanner.ScanAllAsync(_db, Options.QueuePatterns, Options.MaxKeys, ct).ConfigureAwait(false))
        {
            // Dead-letter streams ({queue}:dead) belong to their queue's page, not to the list.
            if (key.EndsWith(QueueKeys.DeadLetterSuffix, StringComparison.Ordinal) && QueueKeys.HasHashTag(key))
            {
                continue;
            }

            if (await database.KeyTypeAsync(key).ConfigureAwait(false) == RedisType.Stream)
            {
                found.Add(key);
            }
        }

        return found;
    }

    private async Task<QueueRow?> ReadAsync(IDatabase database, string name, DateTimeOffset now)
    {
        StreamInfo stream;
        StreamGroupInfo[] groups;
        try
        {
            stream = await database.StreamInfoAsync(name).ConfigureAwait(false);
            groups = await database.StreamGroupInfoAsync(name).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            // Gone since it was found, or not a stream (a configured name): nothing to show.
            return null;
        }

        long? dead = null;
        if (DeadLetterKey(name) is { } deadKey)
        {
            dead = await database.StreamLengthAsync(deadKey).ConfigureAwait(false);
        }

        var delivered = groups.Sum(g => g.EntriesRead ?? 0);
        var history = Record(name, new Sample(now, stream.EntriesAdded, delivered));
        var groupRows = groups.Select(g => new GroupRow(g.Name, g.ConsumerCount, g.PendingMessageCount, g.Lag, g.EntriesRead, g.LastDeliveredId ?? "0-0")).ToList();
        return new QueueRow(name, stream.Length, stream.EntriesAdded, stream.LastGeneratedId.ToString(), dead, groupRows,
            groupRows.Sum(g => g.Consumers), groupRows.Sum(g => g.Pending), groupRows.Count > 0 && groupRows.All(g => g.Lag is not null) ? groupRows.Sum(g => g.Lag) : null,
            Rates(history, static s => s.Added), Rates(history, static s => s.Delivered));
    }

    /// <summary>The dead-letter stream of <paramref name="queue"/>, or null for a name that cannot have one.</summary>
    internal static string? DeadLetterKey(string queue)
    {
        try
        {
            return QueueKeys.DeadLetter(queue);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private Sample[] Record(string name, Sample sample)
    {
        if (!_history.TryGetValue(name, out var samples))
        {
            samples = new Queue<Sample>();
            _history[name] = samples;
        }

        samples.Enqueue(sample);
        while (samples.Count > Options.SamplesKept + 1)
        {
            samples.Dequeue();
        }

        return [.. samples];
    }

    /// <summary>Entries per second between consecutive samples (a counter that went back, after a restart, counts as 0).</summary>
    private static double[] Rates(Sample[] samples, Func<Sample, long> counter)
    {
        var rates = new double[Math.Max(0, samples.Length - 1)];
        for (var i = 1; i < samples.Length; i++)
        {
            var seconds = (samples[i].At - samples[i - 1].At).TotalSeconds;
            var delta = counter(samples[i]) - counter(samples[i - 1]);
            rates[i - 1] = seconds > 0 && delta > 0 ? Math.Round(delta / seconds, 2) : 0;
        }

        return rates;
    }

    private readonly record struct Sample(DateTimeOffset At, long Added, long Delivered);
}

internal sealed record QueueRow(string Name, long Length, long EntriesAdded, string LastId, long? DeadLetters, IReadOnlyList<GroupRow> Groups,
    long Consumers, long Pending, long? Lag, IReadOnlyList<double> InRate, IReadOnlyList<double> OutRate);

internal sealed record GroupRow(string Name, long Consumers, long Pending, long? Lag, long? EntriesRead, string LastDeliveredId);
