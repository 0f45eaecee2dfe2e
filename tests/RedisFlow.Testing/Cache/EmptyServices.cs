namespace RedisFlow.Testing.Cache;

/// <summary>A service provider with no services, for factories called outside a container.</summary>
public sealed class EmptyServices : IServiceProvider
{
    /// <summary>The one instance.</summary>
    public static EmptyServices Instance { get; } = new();

    /// <inheritdoc />
    public object? GetService(Type serviceType) => null;
}
