using System.Net.Security;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>Turns <see cref="RedisDbOptions"/> into StackExchange.Redis <see cref="ConfigurationOptions"/>.</summary>
internal static class RedisConnectionFactory
{
    /// <param name="options">The validated options.</param>
    /// <param name="onCertificateRejected">Told why the server's certificate was rejected (TLS without a CA file).</param>
    public static ConfigurationOptions Build(RedisDbOptions options, Action<SslPolicyErrors>? onCertificateRejected = null)
    {
        ConfigurationOptions config;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                config = ConfigurationOptions.Parse(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                // The parser's message may quote the string, password included: keep only its type.
                throw new RedisFlowConfigurationException("Redis:ConnectionString", $"could not be parsed ({ex.GetType().Name}); see the StackExchange.Redis configuration format.");
            }

            config.DefaultDatabase ??= options.Db;
        }
        else
        {
            config = new ConfigurationOptions
            {
                User = options.Username,
                Password = options.Password,
                DefaultDatabase = options.Db,
            };
            config.EndPoints.Add(RedisEndpointParser.Parse(options.Host));
            ApplySsl(config, options.Ssl, onCertificateRejected);
        }

        // Return from ConnectAsync even when Redis is down; the multiplexer keeps reconnecting by itself.
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = ToMilliseconds(options.ConnectTimeout);
        // StackExchange.Redis checks its async timeouts once per heartbeat, so a command fails between AsyncTimeout
        // and AsyncTimeout + one heartbeat: both are chosen so that this stays within the operation timeout, which
        // lets RedisDb await a command on a connected multiplexer without a timer of its own (its fast path).
        var heartbeat = HeartbeatFor(options.OperationTimeout);
        config.HeartbeatInterval = heartbeat;
        config.AsyncTimeout = ToMilliseconds(AsyncTimeoutFor(options.OperationTimeout, heartbeat));
        config.SyncTimeout = ToMilliseconds(options.OperationTimeout);
        config.ConnectRetry = 1;
        config.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 2000);
        config.ClientName ??= options.ClientName;
        return config;
    }

    /// <summary>A quarter of the operation timeout, between 50 ms and StackExchange.Redis's default of 1 s.</summary>
    internal static TimeSpan HeartbeatFor(TimeSpan operationTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(operationTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(1).Ticks));

    /// <summary>The operation timeout less one heartbeat (at least half of it), so a timed-out command fails in time.</summary>
    internal static TimeSpan AsyncTimeoutFor(TimeSpan operationTimeout, TimeSpan heartbeat) =>
        TimeSpan.FromTicks(Math.Max(operationTimeout.Ticks - heartbeat.Ticks, operationTimeout.Ticks / 2));

    /// <summary>Whether StackExchange.Redis's own timeout, checked once per heartbeat, always fires within the operation timeout.</summary>
    internal static bool ClientTimeoutFitsBudget(TimeSpan operationTimeout)
    {
        var heartbeat = HeartbeatFor(operationTimeout);
        return AsyncTimeoutFor(operationTimeout, heartbeat) + heartbeat <= operationTimeout;
    }

    public static string Describe(RedisDbOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ToString();
        }

        try
        {
            return ConfigurationOptions.Parse(options.ConnectionString).ToString(includePassword: false);
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }

    internal static void ApplySsl(ConfigurationOptions config, RedisSslOptions? ssl, Action<SslPolicyErrors>? onCertificateRejected)
    {
        if (ssl is null || !ssl.Enabled)
        {
            return;
        }

        config.Ssl = true;
        if (ssl.ServerName is not null)
        {
            config.SslHost = ssl.ServerName;
        }

        if (ssl.Insecure)
        {
            // The user asked for --insecure; RedisDb logs a warning about it at connect time.
#pragma warning disable CA5359
            config.CertificateValidation += static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (ssl.CaCertificateFile is not null)
        {
            config.TrustIssuer(ssl.CaCertificateFile);
        }
        else if (onCertificateRejected is not null)
        {
            // The default decision (a certificate is accepted only without any error), plus a report of why not:
            // the multiplexer raises its failure event once per outage, and that one may have been spent on a
            // connect timeout, so a certificate rejected on a later attempt would otherwise go unexplained.
            config.CertificateValidation += (_, _, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                onCertificateRejected(errors);
                return false;
            };
        }

        if (ssl.ClientCertificateFile is not null && ssl.ClientKeyFile is not null)
        {
            config.SetUserPemCertificate(ssl.ClientCertificateFile, ssl.ClientKeyFile);
        }
    }

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
