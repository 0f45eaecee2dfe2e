using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RedisFlow.Embedded;

namespace RedisFlow.Cli;

/// <summary>What a command runs with: configuration, logging, output mode, and a connected <see cref="RedisDb"/>.</summary>
internal sealed class CliContext : IAsyncDisposable
{
    private RedisServerProcess? _embedded;
    private RedisDb? _db;

    private CliContext(ParseResult parse, IConfiguration configuration, ILoggerFactory loggerFactory, RedisFailures failures)
    {
        Parse = parse;
        Failures = failures;
        Configuration = configuration;
        LoggerFactory = loggerFactory;
        Json = parse.GetValue(GlobalOptions.Json);
    }

    public ParseResult Parse { get; }

    public IConfiguration Configuration { get; }

    public ILoggerFactory LoggerFactory { get; }

    public bool Json { get; }

    /// <summary>The Redis operations that failed during this command (the library answers them as empty).</summary>
    public RedisFailures Failures { get; }

    public TextWriter Out { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>The private redis-server started for this command, if no Redis was configured.</summary>
    public RedisServerProcess? EmbeddedRedis => _embedded;

    public static CliContext Create(ParseResult parse)
    {
        var configuration = CliConfiguration.Build(parse);
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogLevel.Information : LogLevel.Warning;
        var failures = new RedisFailures();
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(level)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddProvider(failures));
        return new CliContext(parse, configuration, loggerFactory, failures);
    }

    /// <summary>The Redis options from configuration; <see cref="RedisFlowConfigurationException"/> names a bad setting.</summary>
    public RedisDbOptions RedisOptions()
    {
        var options = new RedisDbOptions();
        try
        {
            Configuration.GetSection(RedisDbOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new RedisFlowConfigurationException("Redis", $"could not be read: {ex.Message}");
        }

        // Ours first: the library's parser would call a socket path a bad port.
        RedisHostCheck.Validate(options);
        options.Validate();
        return options;
    }

    /// <summary>
    /// Connects to the configured Redis, or starts a private redis-server when none is configured. With
    /// <paramref name="requireAlive"/>, a Redis that cannot be used (down, refusing the credentials) is exit 1 naming
    /// the cause, before the command reads anything it could mistake for an empty answer.
    /// </summary>
    public async Task<RedisDb> ConnectAsync(CancellationToken ct, bool requireAlive = true)
    {
        if (_db is not null)
        {
            return _db;
        }

        var options = RedisOptions();
        if (!CliConfiguration.RedisConfigured(Configuration))
        {
            if (ExternalProgram.Find("redis-server") is null)
            {
                throw new CliException(
                    "No Redis is configured (--redis, Redis__Host or the Redis section of appsettings.json) and 'redis-server' is not on PATH " +
                    "to start a private one. Install it with 'apt-get install redis-server' (Debian/Ubuntu) or give --redis host:port.");
            }

            // The private server ends with this process, even when it is killed (SIGKILL) and cannot clean up.
            _embedded = await RedisServerProcess.StartAsync(new RedisServerSettings { StopWhenParentExits = true }, ct).ConfigureAwait(false);
            options.Host = _embedded.Endpoint;
            await Error.WriteLineAsync($"No Redis configured: started a private redis-server on {_embedded.Endpoint} for this command (--redis host:port to use your own).").ConfigureAwait(false);
        }

        _db = await RedisDb.ConnectAsync(options, LoggerFactory, ct).ConfigureAwait(false);
        if (requireAlive && !_db.IsAlive)
        {
            throw new CliException(await RedisCause.DescribeAsync(_db, null, ct).ConfigureAwait(false));
        }

        return _db;
    }

    /// <summary>
    /// Exit 1 naming the cause when a Redis operation failed since <paramref name="mark"/> (a
    /// <see cref="RedisFailures.Count"/>): the library answered it as empty, which must not be printed as an answer.
    /// </summary>
    public async Task ThrowIfFailedSinceAsync(int mark, string doing, CancellationToken ct)
    {
        if (Failures.Since(mark) is { } failure && _db is not null)
        {
            throw new CliException($"{doing}: {await RedisCause.DescribeAsync(_db, failure, ct).ConfigureAwait(false)}");
        }
    }

    public Task WriteJsonAsync<T>(T value) => Out.WriteLineAsync(JsonSerializer.Serialize(value, CliJson.Options));

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }

        if (_embedded is not null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
        }

        LoggerFactory.Dispose();
    }
}

/// <summary>A user-facing error: printed as is, exit code 1 (or the given one).</summary>
internal sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(RedisFlowJson.Options) { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
