namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// The <see cref="ClusterFixture"/> for the file-cache daemon's tests: cached files of megabytes go through the
/// cluster on a loaded machine, so operations may take up to 10 s (the cluster's default is 3 s).
/// </summary>
public sealed class LargeValueClusterFixture : ClusterFixture
{
    /// <summary>Sets the operation timeout to 10 s.</summary>
    public LargeValueClusterFixture()
        : base(o => o.OperationTimeout = TimeSpan.FromSeconds(10))
    {
    }
}
