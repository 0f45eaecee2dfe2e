using RedisFlow.Testing;
using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Connection;

/// <summary>The multi-process plumbing works: a child process reaches the shared server and reports back.</summary>
public sealed class TestProcessTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task Child_process_connects_to_the_test_server()
    {
        await using var child = TestProcess.Start("ping", Fixture.Server.Endpoint);
        Assert.Equal(0, await child.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("healthy", child.Lines);
    }
}
