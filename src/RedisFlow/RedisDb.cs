using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RedisFlow.Queues;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>
/// The RAGFlow <c>RedisDB</c>: one connection to Redis with the seed's contract. A transient failure is retried
/// (idempotent operations only), then logged as a warning and answered with <c>false</c>/<c>null</c>; a call never
/// waits longer than <see cref="RedisDbOptions.OperationTimeout"/> and never throws for a Redis outage.
/// </summary>
/// <remarks>
/// One <see cref="ConnectionMultiplexer"/> per instance, connected lazily and once; StackExchange.Redis reconnects
/// it by itself, so it is never re-created on an error. Register one shared instance (<c>AddRedisDb</c>), as the
/// seed's singleton.
/// </remarks>
public sealed partial class RedisDb : IAsyncDisposable
{
    private readonly RedisDbOptions _options;
    // Replaced once by the caller's multiplexer's own settings when it supplies the connection (RedisDb.External.cs).
    private ConfigurationOptions _config;
    private readonly ILogger _logger;
    private string _description;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private volatile IConnectionMultiplexer? _connection;
    private volatile IDatabase? _database;
    private bool _clientBoundsCommands;
    private bool _isCluster;
    private int _disposed;

    /// <summary>Creates a <see cref="RedisDb"/> that connects on first use. Prefer <see cref="ConnectAsync(RedisDbOptions, ILoggerFactory?, CancellationToken)"/>.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is invalid.</exception>
    public RedisDb(IOptions<RedisDbOptions> options, ILoggerFactory? loggerFactory = null)
        : this(options?.Value!, loggerFactory, options?.Value.ConnectionMultiplexerFactory)
    {
    }

    private RedisDb(RedisDbOptions options, ILoggerFactory? loggerFactory, Func<Task<IConnectionMultiplexer>>? callerConnection)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _callerConnection = callerConnection;
        _options.Validate();
        _config = RedisConnectionFactory.Build(_options, errors => ReportFailure(
            ConnectionFailureType.AuthenticationFailure,
            new System.Security.Authentication.AuthenticationException($"The remote certificate was rejected: {errors}.")));
        _description = RedisConnectionFactory.Describe(_options);
        _clientBoundsCommands = RedisConnectionFactory.ClientTimeoutFitsBudget(_options.OperationTimeout);
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger<RedisDb>();
        Queue = new StreamQueue(this);
    }

    /// <summary>The options this instance was built from.</summary>
    public RedisDbOptions Options => _options;

    /// <summary>
    /// Whether the connection to Redis is up now (the seed's <c>is_alive</c>), and runs as the configured user: false
    /// while Redis refuses the credentials (see <see cref="LastProblem"/>).
    /// </summary>
    public bool IsAlive
    {
        get
        {
            if (!IdentityBlocksCalls)
            {
                return _connection?.IsConnected == true;
            }

            // Callers that ask before calling (the cache daemon) must still let a refused identity be re-checked.
            RecheckIdentitySoon();
            return false;
        }
    }

    /// <summary>The logger factory given at construction, for components built on this connection.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Whether the server is a Redis Cluster (known once connected).</summary>
    public bool IsCluster => _isCluster;

    /// <summary>The queue engine on this connection: the public queue calls forward to it, a <see cref="QueueWorker"/> uses it directly.</summary>
    internal StreamQueue Queue { get; }

    /// <summary>Whether <see cref="DisposeAsync"/> has been called.</summary>
    internal bool IsDisposed => _disposed != 0;

    /// <summary>
    /// Connects to Redis. Returns even when Redis is down: then <see cref="IsAlive"/> is false and calls answer
    /// <c>false</c>/<c>null</c> until the connection comes back by itself.
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is invalid, or a non-zero <see cref="RedisDbOptions.Db"/> was given for a cluster.</exception>
    public static async Task<RedisDb> ConnectAsync(RedisDbOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var db = new RedisDb(options, loggerFactory);
        try
        {
            await db.GetConnectionAsync(ct).ConfigureAwait(false);
            return db;
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The underlying multiplexer, for advanced use (connecting first if needed). Do not dispose it; dispose the <see cref="RedisDb"/>.
    /// </summary>
    public async ValueTask<IConnectionMultiplexer> GetConnectionAsync(CancellationToken ct = default)
    {
        var connection = _connection;
        if (connection is not null)
        {
            return connection;
        }

        await ConnectOnceAsync(ct).ConfigureAwait(false);
        return _connection!;
    }

    /// <summary>The database of <see cref="RedisDbOptions.Db"/>, connecting first if needed.</summary>
    public async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken ct = default)
    {
        var database = _database;
        if (database is not null)
        {
            return database;
        }

        await ConnectOnceAsync(ct).ConfigureAwait(false);
        return _database!;
    }

    /// <summary>Closes the connection. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Queue.DisposeAsync().ConfigureAwait(false);
        DisposeLean();
        var connection = _connection;
        _connection = null;
        _database = null;
        if (connection is not null && _callerConnection is not null)
        {
            // The caller owns its multiplexer: leave it open, only stop listening to it.
            UnhookConnectionEvents(connection);
        }
        else if (connection is not null)
        {
            await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
        _identityGate.Dispose();
    }

    /// <summary>
    /// Connects a new blocking-read connection (see <see cref="BlockingStreamReader"/>) with this instance's
    /// endpoints, credentials, TLS and database; the queue engine pools them.
    /// </summary>
    internal async Task<BlockingStreamReader> ConnectBlockingReaderAsync(CancellationToken ct)
    {
        // Connect the main connection first: it decides whether this is a cluster.
        await GetConnectionAsync(ct).ConfigureAwait(false);
        // The lean path opens sockets of its own with the credentials: not beside a caller's multiplexer (RedisDb.External.cs).
        var lean = _options.LeanConnection && _callerConnection is null ? LeanSettingsFor() : null;
        return await BlockingStreamReader.ConnectAsync(_config, _options, _isCluster, lean, RunsAsConfiguredUserAsync).WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task ConnectOnceAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        ct.ThrowIfCancellationRequested();
        await _connectGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_connection is not null)
            {
                return;
            }

            // The connect log is the only record of a failure that happens before the events below are hooked.
            using var connectLog = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            var connection = _callerConnection is null
                ? await ConnectionMultiplexer.ConnectAsync(_config, connectLog).ConfigureAwait(false)
                : await AdoptCallerConnectionAsync(ct).ConfigureAwait(false);
            HookConnectionEvents(connection);
            if (!connection.IsConnected)
            {
                ReportConnectLog(connectLog.ToString());
            }

            if (ExpectedUser is not null)
            {
                // Nothing is sent until the connection is known to run as the configured user.
                _identity = IdentityState.Unverified;
                if (connection.IsConnected)
                {
                    await VerifyIdentityAsync(connection, reauthenticate: false).ConfigureAwait(false);
                }
            }

            _isCluster = DetectCluster(connection);
            if (_isCluster && (_config.DefaultDatabase ?? 0) != 0)
            {
                await ReleaseRefusedConnectionAsync(connection).ConfigureAwait(false);
                throw new RedisFlowConfigurationException("Redis:Db", $"is {_config.DefaultDatabase}, but the server is a Redis Cluster, where only database 0 exists. Set Redis:Db to 0.");
            }

            _database = connection.GetDatabase(_config.DefaultDatabase ?? 0);
            _connection = connection;
            if (_options.Ssl is { Enabled: true, Insecure: true })
            {
                Log.InsecureTls(_logger, _description);
            }

            if (connection.IsConnected)
            {
                Log.Connected(_logger, _description);
            }
            else
            {
                Log.ConnectFailed(_logger, _description);
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private static bool DetectCluster(IConnectionMultiplexer connection)
    {
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (server.IsConnected && server.ServerType == ServerType.Cluster)
            {
                return true;
            }
        }

        return false;
    }

    private void HookConnectionEvents(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
    }

    private void UnhookConnectionEvents(IConnectionMultiplexer connection)
    {
        connection.ConnectionFailed -= OnConnectionFailed;
        connection.ConnectionRestored -= OnConnectionRestored;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionLost(_logger, e.EndPoint, e.FailureType, e.Exception?.GetType());
        ReportFailure(e.FailureType, e.Exception);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionRestored(_logger, e.EndPoint);
        if (ExpectedUser is not null && e.ConnectionType == ConnectionType.Interactive && _connection is { } connection)
        {
            _ = VerifyIdentityAsync(connection, reauthenticate: _identity == IdentityState.Refused);
        }
    }
}
