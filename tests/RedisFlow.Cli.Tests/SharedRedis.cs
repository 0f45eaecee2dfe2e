using StackExchange.Redis;

namespace RedisFlow.Cli.Tests;

/// <summary>
/// The run's redis-server (<see cref="RedisFixture"/>) as the CLI tests use it: the endpoint to give the command, and
/// database 1 (the CLI's default, as RAGFlow's) through a plain connection to set up and check data.
/// </summary>
public sealed class SharedRedis(RedisFixture fixture)
{
    /// <summary>127.0.0.1:port of the server.</summary>
    public string Endpoint => fixture.Server.Endpoint;

    /// <summary>Database 1, the CLI's default (as RAGFlow's).</summary>
    public IDatabase Db => fixture.Plain;

    /// <summary>A unique name with a readable prefix.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
