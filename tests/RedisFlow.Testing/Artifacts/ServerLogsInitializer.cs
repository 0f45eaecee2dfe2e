using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using RedisFlow.Embedded;

namespace RedisFlow.Testing.Artifacts;

/// <summary>Points the logs of every redis-server a test starts at the run's artifacts folder, as soon as the shared test code loads.</summary>
internal static class ServerLogsInitializer
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "A test library: every redis-server of the run must log into the swept folder, whichever fixture starts it.")]
    internal static void PointRedisServerLogsAtArtifacts() =>
        RedisServerProcess.LogFolder = Path.Combine(TestArtifacts.Root, "redis-server");
}
