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

    private CliContext(ParseResult parse, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        Parse = parse;
        Configuration = configuration;
        LoggerFactory = loggerFactory;
        Json = parse.GetValue(GlobalOptions.Json);
    }

    public ParseResult Parse { get; }

    public IConfiguration Configuration { get; }

    public ILoggerFactory LoggerFactory { get; }

    public bool Json { get; }

    public TextWriter Out { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>The private redis-server started for this command, if no Redis was configured.</summary>
    public RedisServerProcess? EmbeddedRedis => _embedded;

    public static CliContext Create(ParseResult parse)
    {
        var configuration = CliConfiguration.Build(parse);
        var level = parse.GetValue(GlobalOptions.Verbose) ? LogLevel.Information : LogLevel.Warning;
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
            .AddConfiguration(configuration.GetSection("Logging"))
            .SetMinimumLevel(level)
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        return new CliContext(parse, configuration, loggerFactory);
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

        options.Validate();
        return options;
    }

    /// <summary>Connects to the configured Redis, or starts a private redis-server when none is configured.</summary>
    public async Task<RedisDb> ConnectAsync(CancellationToken ct)
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

            _embedded = await RedisServerProcess.StartAsync(ct: ct).ConfigureAwait(false);
            options.Host = _embedded.Endpoint;
            await Error.WriteLineAsync($"No Redis configured: started a private redis-server on {_embedded.Endpoint} for this command (--redis host:port to use your own).").ConfigureAwait(false);
        }

        _db = await RedisDb.ConnectAsync(options, LoggerFactory, ct).ConfigureAwait(false);
        return _db;
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
