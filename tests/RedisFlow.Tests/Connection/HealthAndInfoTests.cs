using RedisFlow.Tests.Infrastructure;

namespace RedisFlow.Tests.Connection;

public sealed class HealthAndInfoTests(RedisFixture fixture) : RedisTestBase(fixture)
{
    [Fact]
    public async Task Health_is_true_and_IsAlive_on_a_running_server()
    {
        Assert.True(Db.IsAlive);
        Assert.True(await Db.HealthAsync(Ct));
    }

    [Fact]
    public async Task Info_reports_version_mode_memory_and_counters()
    {
        var info = await Db.InfoAsync(Ct);
        Assert.NotNull(info);
        Assert.Matches(@"^\d+\.\d+", info.RedisVersion);
        Assert.Equal("standalone", info.Mode);
        Assert.True(info.UsedMemory > 0);
        Assert.True(info.TotalSystemMemory > 0);
        Assert.True(info.ConnectedClients >= 1);
        Assert.True(info.TotalCommandsProcessed > 0);
        Assert.True(info.FragmentationRatio > 0);
    }

    [Fact]
    public void Info_parser_reads_the_fields_of_INFO_text()
    {
        var info = RedisServerInfo.Parse("# Server\r\nredis_version:7.0.15\r\nredis_mode:cluster\r\n# Memory\r\nused_memory:1024\r\nmaxmemory:2048\r\nmem_fragmentation_ratio:1.25\r\n# Clients\r\nblocked_clients:3\r\n");
        Assert.Equal("7.0.15", info.RedisVersion);
        Assert.Equal("cluster", info.Mode);
        Assert.Equal(1024, info.UsedMemory);
        Assert.Equal(2048, info.MaxMemory);
        Assert.Equal(1.25, info.FragmentationRatio);
        Assert.Equal(3, info.BlockedClients);
    }
}
