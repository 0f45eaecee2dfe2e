namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>A service provider with no services, for factories called outside a container.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static EmptyServices Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
