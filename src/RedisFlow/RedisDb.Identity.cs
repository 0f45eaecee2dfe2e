using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    /// <summary>How often calls may trigger a new check while the identity is refused or not yet verified.</summary>
    private static readonly TimeSpan IdentityRecheckInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _identityGate = new(1, 1);
    private volatile IdentityState _identity = IdentityState.Verified;
    private volatile string? _connectedUser;
    private long _lastIdentityCheck;

    private enum IdentityState
    {
        /// <summary>The connection runs as the configured user (or none was configured, or Redis has no ACL).</summary>
        Verified,

        /// <summary>Not checked since the last (re)connect: calls answer as for an outage until it is.</summary>
        Unverified,

        /// <summary>Redis refused the credentials, or the connection went on as another user.</summary>
        Refused,
    }

    /// <summary>
    /// The user the connection actually runs as (<c>ACL WHOAMI</c>), known once connected; null before, on Redis
    /// older than 6 (no ACL) or when the user may not run <c>ACL WHOAMI</c>.
    /// </summary>
    public string? ConnectedUser => _connectedUser;

    /// <summary>
    /// The user the connection runs as, asked now with <c>ACL WHOAMI</c>; null when Redis could not answer, is older
    /// than 6 (no ACL), or the user may not run it (the rules of <see cref="RedisAclRules"/> allow it).
    /// </summary>
    public Task<string?> WhoAmIAsync(CancellationToken ct = default) =>
        ExecuteAsync<int, RedisResult, string?>(nameof(WhoAmIAsync), null, 0,
            static (db, _) => db.ExecuteAsync("ACL", "WHOAMI"), static reply => reply.ToString(), null, idempotent: true, ct);

    /// <summary>
    /// The user the connection must run as: the configured one, or <c>default</c> when only a password is set; null
    /// when no credentials are configured (any identity is what was asked for).
    /// </summary>
    private string? ExpectedUser => _config.User ?? (string.IsNullOrEmpty(_config.Password) ? null : "default");

    /// <summary>Whether calls must answer as for an outage because the connection's identity is not the configured one.</summary>
    private bool IdentityBlocksCalls => _identity != IdentityState.Verified;

    /// <summary>
    /// A stock redis-server accepts commands from a client whose <c>AUTH user password</c> failed, as its password-less
    /// <c>default</c> user; StackExchange.Redis goes on regardless. So after every (re)connect the identity is checked
    /// with <c>ACL WHOAMI</c> on every connected node, and a wrong one refuses every call instead of running them
    /// with another user's rights. While refused, <c>AUTH</c> is sent again on each check, so a password fixed on the
    /// server is picked up without a restart.
    /// </summary>
    private async Task VerifyIdentityAsync(IConnectionMultiplexer connection, bool reauthenticate)
    {
        if (!await _identityGate.WaitAsync(0).ConfigureAwait(false))
        {
            return; // a check is already running
        }

        try
        {
            Interlocked.Exchange(ref _lastIdentityCheck, Stopwatch.GetTimestamp());
            var expected = ExpectedUser;
            string? seen = null;
            foreach (var endpoint in connection.GetEndPoints())
            {
                var server = connection.GetServer(endpoint);
                if (!server.IsConnected || server.ServerType == ServerType.Sentinel)
                {
                    continue;
                }

                if (reauthenticate && expected is not null)
                {
                    await TryAuthenticateAsync(server).ConfigureAwait(false);
                }

                var outcome = await WhoAmIAsync(server).ConfigureAwait(false);
                switch (outcome.Kind)
                {
                    case WhoAmIKind.Refused:
                        Refuse(expected, outcome.User);
                        return;
                    case WhoAmIKind.User when expected is not null && !string.Equals(outcome.User, expected, StringComparison.Ordinal):
                        _connectedUser = outcome.User;
                        Refuse(expected, outcome.User);
                        return;
                    case WhoAmIKind.User:
                        seen = outcome.User;
                        break;
                    case WhoAmIKind.Failed:
                        return; // transient: stay as we are and check again later
                }
            }

            _connectedUser = seen;
            if (_identity == IdentityState.Refused)
            {
                Log.CredentialsAccepted(_logger, expected ?? "default");
                ClearProblem();
            }

            _identity = IdentityState.Verified;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.IdentityCheckFailed(_logger, ex);
        }
        finally
        {
            _identityGate.Release();
        }
    }

    /// <summary>
    /// Whether another connection of this instance with the same credentials (a blocking-read connection) runs as the
    /// configured user on each of <paramref name="servers"/> it is connected to: false when Redis refused its credentials or it went on as
    /// another user (a stock server's password-less <c>default</c>), true when it is the configured user or that
    /// cannot be learned (see <see cref="WhoAmIAsync(IServer)"/>), and always true when no credentials are configured.
    /// With <paramref name="reauthenticate"/> (it was refused before), <c>AUTH</c> is sent again first, so a password
    /// fixed on the server is picked up.
    /// </summary>
    /// <exception cref="RedisConnectionException">A node could not answer now (check again on the next read).</exception>
    internal async Task<bool> RunsAsConfiguredUserAsync(IEnumerable<IServer> servers, bool reauthenticate)
    {
        var expected = ExpectedUser;
        if (expected is null)
        {
            return true;
        }

        foreach (var server in servers)
        {
            if (!server.IsConnected || server.ServerType == ServerType.Sentinel)
            {
                continue;
            }

            if (reauthenticate)
            {
                await TryAuthenticateAsync(server).ConfigureAwait(false);
            }

            var outcome = await WhoAmIAsync(server).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case WhoAmIKind.Refused:
                    return false;
                case WhoAmIKind.User when !string.Equals(outcome.User, expected, StringComparison.Ordinal):
                    return false;
                case WhoAmIKind.Failed:
                    throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"The identity of a blocking-read connection to {server.EndPoint} could not be checked now.");
            }
        }

        return true;
    }

    private async Task TryAuthenticateAsync(IServer server)
    {
        try
        {
            await server.ExecuteAsync("AUTH", _config.User ?? "default", _config.Password ?? string.Empty)
                .WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisServerException || IsTransient(ex))
        {
            // Still refused: WHOAMI below says as whom the connection runs.
        }
    }

    private enum WhoAmIKind { User, Unknown, Refused, Failed }

    private readonly record struct WhoAmI(WhoAmIKind Kind, string? User);

    private async Task<WhoAmI> WhoAmIAsync(IServer server)
    {
        try
        {
            var reply = await server.ExecuteAsync("ACL", "WHOAMI").WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
            return new WhoAmI(WhoAmIKind.User, reply.ToString());
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || ex.Message.StartsWith("WRONGPASS", StringComparison.Ordinal))
        {
            return new WhoAmI(WhoAmIKind.Refused, null);
        }
        catch (RedisServerException)
        {
            // Redis before 6 (no ACL: a wrong password already fails every command with NOAUTH), or a user without
            // +acl|whoami (a restricted user, so not a stock default user): nothing more to learn here.
            return new WhoAmI(WhoAmIKind.Unknown, null);
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            return new WhoAmI(WhoAmIKind.Failed, null);
        }
    }

    private void Refuse(string? expected, string? actual)
    {
        var user = expected ?? "default";
        var how = actual is null ? "(WRONGPASS/NOAUTH)" : $"(WRONGPASS: the connection would have run as user '{actual}' instead, so nothing is sent)";
        _identity = IdentityState.Refused;
        ReportProblem(new RedisConnectionProblem("Redis:Password",
            $"Redis rejected the credentials of user '{user}' {how}: check Redis:Password (--password, Redis__Password) " +
            "and Redis:Username (--user), or the user=/password= of Redis:ConnectionString."));
    }

    /// <summary>
    /// For the blocking-read connections, which authenticate with the same credentials as the main one: while the
    /// main connection's identity blocks calls, theirs would be wrong too.
    /// </summary>
    internal void ThrowIfIdentityBlocksCalls()
    {
        if (IdentityBlocksCalls)
        {
            RecheckIdentitySoon();
            throw IdentityRefusal();
        }
    }

    private RedisConnectionException IdentityRefusal() =>
        new(ConnectionFailureType.AuthenticationFailure, _lastProblem?.Message ?? "The connection's Redis user is not verified yet.");

    /// <summary>Called on the slow path of a call while the identity blocks calls: re-checks, at most every few seconds.</summary>
    private void RecheckIdentitySoon()
    {
        var connection = _connection;
        if (connection is null || !connection.IsConnected ||
            Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastIdentityCheck)) < IdentityRecheckInterval)
        {
            return;
        }

        _ = VerifyIdentityAsync(connection, reauthenticate: _identity == IdentityState.Refused);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1008, EventName = "RedisCredentialsAccepted", Level = LogLevel.Information, Message = "Redis accepted the credentials of user '{User}' now")]
        public static partial void CredentialsAccepted(ILogger logger, string user);

        [LoggerMessage(EventId = 1009, EventName = "RedisIdentityCheckFailed", Level = LogLevel.Debug, Message = "Checking the Redis user of the connection failed; checking again later")]
        public static partial void IdentityCheckFailed(ILogger logger, Exception exception);
    }
}
