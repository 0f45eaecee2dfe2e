using Microsoft.AspNetCore.Http;

namespace RedisFlow.Dashboard;

/// <summary>
/// What the dashboard shows and who may use it. Bound from the <c>Dashboard</c> configuration section
/// (<c>Dashboard__Token</c>, <c>Dashboard__ReadOnly</c>, ...).
/// </summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section name the options bind from.</summary>
    public const string SectionName = "Dashboard";

    /// <summary>
    /// Access token. When set, every request needs <c>Authorization: Bearer &lt;token&gt;</c> or the session cookie
    /// the login page gives for it. Never logged and never put in a page.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Turns the actions (requeue, re-drive, delete, evict) off: they answer 403.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Decides whether a request may see the dashboard, in addition to <see cref="Token"/>. When null and no token is
    /// set, only requests from a loopback address are allowed (as Hangfire's dashboard does by default).
    /// </summary>
    public Func<HttpContext, bool>? Authorization { get; set; }

    /// <summary>
    /// Key patterns (SCAN MATCH) of the streams shown as queues: RAGFlow's task queues by default. Patterns bound from
    /// configuration (<c>Dashboard:QueuePatterns:0</c>) are added to these.
    /// </summary>
    public IList<string> QueuePatterns { get; } = ["rag_flow_svr_queue*", "te.*"];

    /// <summary>Queues shown whatever their name (streams that the patterns do not match).</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>
    /// Key patterns of locks: RAGFlow's lock keys (<c>*lock*</c>, <c>clean_task_executor</c>); configured ones are added.
    /// RedisFlow locks are also found by their fencing counters (<c>{key}:fence</c>) whatever their name.
    /// </summary>
    public IList<string> LockPatterns { get; } = ["*lock*", "clean_task_executor"];

    /// <summary>Key pattern of cached files: the daemon's <c>bucket/location</c> keys.</summary>
    public string CachePattern { get; set; } = "*/*";

    /// <summary>The longest TTL a cached file has (<c>Cache:Ttl</c>, 12 minutes): longer-lived keys are not shown nor evicted.</summary>
    public TimeSpan CacheMaxTtl { get; set; } = TimeSpan.FromMinutes(12);

    /// <summary>RAGFlow's set of task executor names; each name is a sorted set of JSON heartbeats scored by time.</summary>
    public string ExecutorSet { get; set; } = "TASKEXE";

    /// <summary>How many keys a list shows at most (SCAN stops there).</summary>
    public int MaxKeys { get; set; } = 500;

    /// <summary>How often queue lengths and group positions are sampled for the throughput sparklines.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many samples a sparkline keeps.</summary>
    public int SamplesKept { get; set; } = 60;

    /// <summary>How long a session cookie from the login page lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Checks the settings and throws <see cref="RedisFlowConfigurationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (Token is { Length: > 0 and < 16 })
        {
            throw new RedisFlowConfigurationException("Dashboard:Token", "is shorter than 16 characters; use a long random value (openssl rand -hex 32).");
        }

        if (SampleInterval < TimeSpan.FromMilliseconds(100) || SampleInterval > TimeSpan.FromHours(1))
        {
            throw new RedisFlowConfigurationException("Dashboard:SampleInterval", "must be from 00:00:00.1 to 01:00:00.");
        }

        if (SamplesKept is < 2 or > 10_000)
        {
            throw new RedisFlowConfigurationException("Dashboard:SamplesKept", "must be from 2 to 10000.");
        }

        if (MaxKeys is < 1 or > 100_000)
        {
            throw new RedisFlowConfigurationException("Dashboard:MaxKeys", "must be from 1 to 100000.");
        }

        if (CacheMaxTtl <= TimeSpan.Zero)
        {
            throw new RedisFlowConfigurationException("Dashboard:CacheMaxTtl", "must be a positive time span such as 00:12:00.");
        }
    }
}
