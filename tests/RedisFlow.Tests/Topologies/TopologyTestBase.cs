using System.Runtime.CompilerServices;

namespace RedisFlow.Tests.Topologies;

/// <summary>
/// Base of the capability cases written once and run on every topology: a subclass per topology only passes its
/// fixture. Keys are unique per test (and spread over hash slots), so cases run in parallel on one deployment.
/// </summary>
public abstract class TopologyTestBase(IRedisTopology topology) : IAsyncLifetime
{
    private RedisDb? _db;

    protected IRedisTopology Topology { get; } = topology;

    protected RedisDb Db => _db ?? throw new InvalidOperationException("Not initialized.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await Topology.GetDbAsync(Ct);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>A key derived from the test class and method, plus a unique suffix.</summary>
    protected string Key(string suffix = "", [CallerMemberName] string caller = "") =>
        $"test:{GetType().Name}:{caller}:{Guid.NewGuid():N}{suffix}";
}
