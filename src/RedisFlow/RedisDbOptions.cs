using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>
/// How <see cref="RedisDb"/> reaches Redis. Bound from the <c>Redis</c> configuration section
/// (<c>appsettings.json</c>, environment variables such as <c>Redis__Host</c>, command line).
/// </summary>
/// <remarks>
/// The defaults match RAGFlow's <c>service_conf.yaml</c>: <c>localhost:6379</c>, database 1.
/// The class implements <see cref="IOptions{TOptions}"/> of itself so it can be used without DI.
/// </remarks>
public sealed class RedisDbOptions : IOptions<RedisDbOptions>
{
    /// <summary>The configuration section name the options bind from.</summary>
    public const string SectionName = "Redis";

    /// <summary>
    /// Server as <c>host:port</c>: a name, an IPv4 address or <c>[IPv6]:port</c>; the port defaults to 6379.
    /// Ignored when <see cref="ConnectionString"/> is set.
    /// </summary>
    public string Host { get; set; } = "localhost:6379";

    /// <summary>Logical database number (RAGFlow uses 1). Only database 0 exists on Redis Cluster.</summary>
    public int Db { get; set; } = 1;

    /// <summary>ACL user name (Redis 6+); null for the default user.</summary>
    public string? Username { get; set; }

    /// <summary>Password; never logged and never put in an exception message.</summary>
    public string? Password { get; set; }

    /// <summary>TLS settings; null or <see cref="RedisSslOptions.Enabled"/> false for plain TCP.</summary>
    public RedisSslOptions? Ssl { get; set; }

    /// <summary>
    /// A full StackExchange.Redis configuration string (Sentinel and Cluster endpoints go here). When set it
    /// overrides <see cref="Host"/>, <see cref="Username"/>, <see cref="Password"/> and <see cref="Ssl"/>;
    /// a <c>defaultDatabase=</c> in it overrides <see cref="Db"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Upper bound on one public call, retries included; a call never waits longer. Default 5 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one connection attempt. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts for an idempotent operation on a transient failure (the seed's 3). Default 3.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled for each further attempt. Default 50 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Client name shown by <c>CLIENT LIST</c>. Default <c>redisflow</c>.</summary>
    public string ClientName { get; set; } = "redisflow";

    /// <summary>
    /// Whether seed calls made one at a time (XADD, XREADGROUP without BLOCK, XACK, the lock scripts, GET/SET/EXISTS)
    /// may use a lean connection per server beside the multiplexer: a plain socket with blocking I/O, without the
    /// multiplexer's thread hops, used only while no other call is using it; and whether each blocking read
    /// (XREADGROUP BLOCK) may go over a lean connection of its own, read by a thread of its own. Default true; false
    /// sends everything through StackExchange.Redis.
    /// </summary>
    public bool LeanConnection { get; set; } = true;

    /// <summary>
    /// Durable writes: after each queue write (produce, requeue, dead-letter move) and each lock acquisition, how many
    /// replicas must confirm they hold it (<c>WAIT</c>) before the call answers success. Default 0: off, the reply of
    /// the primary is enough (Redis replication is asynchronous, so an acknowledged write can be lost on failover).
    /// </summary>
    /// <remarks>
    /// A write the replicas did not confirm within <see cref="WaitForReplicasTimeout"/> still exists on the primary:
    /// the call answers its failure value and logs a warning, and a caller that retries may create a duplicate.
    /// </remarks>
    public int WaitForReplicas { get; set; }

    /// <summary>How long a write waits for <see cref="WaitForReplicas"/> confirmations (<c>WAIT</c>'s timeout). Default 1 s; at most half of <see cref="OperationTimeout"/>.</summary>
    public TimeSpan WaitForReplicasTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The largest queue <c>message</c> a consumer decodes, in bytes. A bigger entry (another producer can write up
    /// to Redis's <c>proto-max-bulk-len</c>, 512 MiB) is moved to the dead-letter stream as
    /// <see cref="Queues.DeadLetterReasons.MessageTooLarge"/>, bytes kept, instead of being parsed into memory and
    /// handed to a handler. Default 64 MiB; from 1 KiB to 512 MiB.
    /// </summary>
    /// <remarks>
    /// The entry has already been read when its size is known (a stream read returns whole entries), so this bounds the
    /// decoded copy and what handlers see, not the read itself.
    /// </remarks>
    public long MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>The default of <see cref="MaxMessageBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxMessageBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Makes the multiplexer instead of RedisDb, as ASP.NET Core's <c>RedisCacheOptions.ConnectionMultiplexerFactory</c>:
    /// called once, on first use. The multiplexer stays the caller's (RedisDb never disposes it); <see cref="Host"/>,
    /// <see cref="ConnectionString"/> and the credentials are then not used. See <see cref="RedisDb.FromConnection"/>
    /// for what this mode gives up. Not bound from configuration.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    RedisDbOptions IOptions<RedisDbOptions>.Value => this;

    /// <summary>Checks every setting and throws <see cref="RedisFlowConfigurationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (string.IsNullOrWhiteSpace(Host))
            {
                throw new RedisFlowConfigurationException("Redis:Host", "is empty; give host:port, for example localhost:6379.");
            }

            _ = RedisEndpointParser.Parse(Host);
        }

        if (Db < 0 || Db > 15_999)
        {
            throw new RedisFlowConfigurationException("Redis:Db", $"is {Db}; it must be a database number from 0 (the only one on Cluster) up.");
        }

        RequirePositive(OperationTimeout, "Redis:OperationTimeout");
        RequirePositive(ConnectTimeout, "Redis:ConnectTimeout");
        if (RetryAttempts is < 1 or > 10)
        {
            throw new RedisFlowConfigurationException("Redis:RetryAttempts", $"is {RetryAttempts}; it must be between 1 and 10.");
        }

        if (RetryBackoff < TimeSpan.Zero)
        {
            throw new RedisFlowConfigurationException("Redis:RetryBackoff", "is negative.");
        }

        if (WaitForReplicas is < 0 or > 100)
        {
            throw new RedisFlowConfigurationException("Redis:WaitForReplicas", $"is {WaitForReplicas}; it must be between 0 (off) and 100.");
        }

        // WAIT runs inside the operation's budget, after the write: half of it leaves room for the write and a retry.
        // Checked only while on, so a short OperationTimeout alone never trips over the default.
        if (WaitForReplicas > 0 && (WaitForReplicasTimeout < TimeSpan.FromMilliseconds(1) || WaitForReplicasTimeout > OperationTimeout / 2))
        {
            throw new RedisFlowConfigurationException("Redis:WaitForReplicasTimeout",
                $"is {WaitForReplicasTimeout}; it must be at least 1 ms and at most half of Redis:OperationTimeout ({OperationTimeout}).");
        }

        if (MaxMessageBytes is < 1024 or > 512L * 1024 * 1024)
        {
            throw new RedisFlowConfigurationException("Redis:MaxMessageBytes", $"is {MaxMessageBytes}; it must be between 1024 and 536870912 (512 MiB, Redis's largest value).");
        }

        Ssl?.Validate();
    }

    /// <summary>A description safe for logs: endpoints and database, never a password.</summary>
    public override string ToString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return RedisConnectionFactory.Describe(this);
        }

        var tls = Ssl?.Enabled == true ? " tls" : string.Empty;
        var user = Username is null ? string.Empty : $" user={Username}";
        return $"{Host} db={Db}{user}{tls}";
    }

    private static void RequirePositive(TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromHours(1))
        {
            throw new RedisFlowConfigurationException(setting, $"is {value}; it must be more than zero and at most one hour.");
        }
    }
}
