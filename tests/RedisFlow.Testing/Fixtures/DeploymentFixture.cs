namespace RedisFlow.Testing.Fixtures;

/// <summary>
/// A deployment of its own for one test class (a class fixture): started before the class's first test and stopped
/// after its last, so tests that change it (users, certificates, failovers) share it with no other class.
/// </summary>
/// <typeparam name="T">The deployment (one of the topologies of RedisFlow.Testing.Topologies).</typeparam>
/// <param name="start">Starts the deployment.</param>
public abstract class DeploymentFixture<T>(Func<CancellationToken, Task<T>> start) : IAsyncLifetime
    where T : class, IAsyncDisposable
{
    private T? _deployment;

    /// <summary>The running deployment.</summary>
    protected T Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    /// <inheritdoc />
    public virtual async ValueTask InitializeAsync() =>
        _deployment = await start(TestContext.Current.CancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
