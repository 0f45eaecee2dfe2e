using RedisFlow.Embedded;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Topologies;

/// <summary>Runs the real <c>redis-cli</c> (for <c>--cluster create</c>), bounded in time.</summary>
public static class RedisCli
{
    /// <summary>Runs redis-cli with <paramref name="args"/>; returns its output, or throws with it when the exit code is not 0.</summary>
    public static Task<string> RunAsync(IEnumerable<string> args, TimeSpan limit, CancellationToken ct = default) =>
        ChildProcess.RunToSuccessAsync(ExternalProgram.Require("redis-cli", "redis-tools"), args, limit, ct: ct);
}
