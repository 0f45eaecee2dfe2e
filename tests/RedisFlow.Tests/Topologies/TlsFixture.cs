using RedisFlow.Testing.Topologies;

namespace RedisFlow.Tests.Topologies;

/// <summary>One TLS-only redis-server (with its CA and certificates) shared by the TLS tests of a class.</summary>
public sealed class TlsFixture : IAsyncLifetime
{
    private TlsRedisTopology? _tls;

    public TlsRedisTopology Tls => _tls ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _tls = await TlsRedisTopology.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync();
        }
    }
}
