using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace RedisFlow;

public sealed partial class RedisDb
{
    private volatile RedisConnectionProblem? _lastProblem;

    /// <summary>
    /// The last failure that a setting must fix (untrusted TLS certificate, rejected password, missing ACL
    /// permission), naming that setting; null when none was seen or the last <see cref="HealthAsync"/> succeeded.
    /// Logged once as an error each time the setting to fix changes. Never holds a password.
    /// </summary>
    public RedisConnectionProblem? LastProblem => _lastProblem;

    /// <summary>Records <paramref name="exception"/> as <see cref="LastProblem"/> when a setting must fix it.</summary>
    internal void ReportFailure(ConnectionFailureType? failureType, Exception? exception)
    {
        var problem = RedisProblemClassifier.Classify(failureType, exception, _options);
        if (problem is not null)
        {
            ReportProblem(problem);
        }
    }

    private void ReportProblem(RedisConnectionProblem problem)
    {
        var previous = _lastProblem;
        if (_identity == IdentityState.Refused && previous?.Setting == problem.Setting)
        {
            return; // keep the refusal's own words (which user the connection would have run as)
        }

        _lastProblem = problem;
        // Reconnects repeat the same failure with slightly different detail: one error per setting to fix.
        if (previous?.Setting != problem.Setting)
        {
            Log.ConfigurationProblem(_logger, problem.Setting, problem.Message);
        }
    }

    private void ClearProblem() => _lastProblem = null;

    private void ReportConnectLog(string log) =>
        ReportFailure(null, new RedisConnectionException(ConnectionFailureType.UnableToConnect, log));

    private static partial class Log
    {
        [LoggerMessage(EventId = 6000, EventName = "RedisConfigurationProblem", Level = LogLevel.Error, Message = "Redis cannot be used as configured; fix {Setting}: {Problem}")]
        public static partial void ConfigurationProblem(ILogger logger, string setting, string problem);
    }
}
