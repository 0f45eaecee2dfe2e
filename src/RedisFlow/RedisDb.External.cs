using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>
/// A <see cref="RedisDb"/> on a multiplexer the caller made (<see cref="FromConnection"/>, or
/// <see cref="RedisDbOptions.ConnectionMultiplexerFactory"/>), as ASP.NET Core's Redis cache accepts one. The caller
/// owns it: disposing the <see cref="RedisDb"/> leaves it open.
/// </summary>
/// <remarks>
/// What this mode gives up, because the multiplexer's settings are the caller's:
/// <list type="bullet">
/// <item>No lean connection: one-at-a-time calls go through the multiplexer (see README, "The latency path").</item>
/// <item>A <see cref="Queues.QueueWorker"/>'s blocking reads open connections of their own from the multiplexer's
/// configuration string: endpoints, user, password and TLS carry over, but certificate callbacks do not; set
/// <see cref="RedisDbOptions.Ssl"/> for a private CA.</item>
/// <item><see cref="RedisDbOptions.OperationTimeout"/> is kept by a timer of RedisDb's own unless the multiplexer's
/// <c>AsyncTimeout</c> plus heartbeat already fits in it.</item>
/// </list>
/// Host, port and credentials in <see cref="RedisDbOptions"/> are not used; its database, timeouts and retries are.
/// </remarks>
public sealed partial class RedisDb
{
    private readonly Func<Task<IConnectionMultiplexer>>? _callerConnection;

    /// <summary>
    /// A <see cref="RedisDb"/> on <paramref name="connection"/>, which stays the caller's: it is not disposed with the
    /// <see cref="RedisDb"/>. See the remarks of this class for what differs from a connection of RedisDb's own.
    /// </summary>
    /// <param name="connection">A connected (or connecting) multiplexer.</param>
    /// <param name="options">Database number, timeouts, retries; endpoints and credentials come from <paramref name="connection"/>.</param>
    /// <param name="loggerFactory">Logging for this instance.</param>
    /// <exception cref="RedisFlowConfigurationException">A setting is invalid.</exception>
    public static RedisDb FromConnection(IConnectionMultiplexer connection, RedisDbOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new RedisDb(options ?? new RedisDbOptions(), loggerFactory, () => Task.FromResult(connection));
    }

    /// <summary>Whether the multiplexer is the caller's (<see cref="FromConnection"/> or a factory), not this instance's.</summary>
    public bool UsesCallerConnection => _callerConnection is not null;

    private async Task<IConnectionMultiplexer> AdoptCallerConnectionAsync(CancellationToken ct)
    {
        var connection = await _callerConnection!().WaitAsync(ct).ConfigureAwait(false)
            ?? throw new RedisFlowConfigurationException("Redis:ConnectionMultiplexerFactory", "returned null; it must return a multiplexer.");

        // The caller's settings decide endpoints, credentials and TLS; ours keep the database and the timeouts.
        var config = ConfigurationOptions.Parse(connection.Configuration);
        config.DefaultDatabase = _options.Db;
        config.AbortOnConnectFail = false;
        // Certificate callbacks do not travel in the configuration string: a private CA comes from our Ssl options.
        RedisConnectionFactory.ApplySsl(config, _options.Ssl, onCertificateRejected: null);
        _config = config;
        _description = config.ToString(includePassword: false) + " (caller's connection)";
        var heartbeat = config.HeartbeatInterval;
        _clientBoundsCommands = TimeSpan.FromMilliseconds(config.AsyncTimeout) + heartbeat <= _options.OperationTimeout;
        return connection;
    }

    /// <summary>Gives back a connection this instance will not use: disposed if its own, left to the caller otherwise.</summary>
    private async Task ReleaseRefusedConnectionAsync(IConnectionMultiplexer connection)
    {
        UnhookConnectionEvents(connection);
        if (_callerConnection is null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
