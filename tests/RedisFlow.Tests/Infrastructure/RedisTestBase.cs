using System.Runtime.CompilerServices;

namespace RedisFlow.Tests.Infrastructure;

/// <summary>Base of tests on the shared server: keys are unique per test so tests run in parallel on one server.</summary>
public abstract class RedisTestBase(RedisFixture fixture)
{
    protected RedisFixture Fixture { get; } = fixture;

    protected RedisDb Db => Fixture.Db;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A key derived from the test class and method, plus a unique suffix.</summary>
    protected string Key(string suffix = "", [CallerMemberName] string caller = "") =>
        $"test:{GetType().Name}:{caller}:{Guid.NewGuid():N}{suffix}";
}
