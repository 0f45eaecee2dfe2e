using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Kv;

/// <summary>SortedSet capability cases, run on every topology by the one-line subclasses at the end.</summary>
public abstract class SortedSetTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    [Fact]
    public async Task ZAdd_ZCount_ZRangeByScore_ZCard()
    {
        var key = Key();
        Assert.True(await Db.ZAddAsync(key, "low", 1, Ct));
        Assert.True(await Db.ZAddAsync(key, "mid", 5, Ct));
        Assert.True(await Db.ZAddAsync(key, "high", 10, Ct));
        Assert.Equal(3, await Db.ZCardAsync(key, Ct));
        Assert.Equal(2, await Db.ZCountAsync(key, 1, 5, Ct));
        Assert.Equal(["low", "mid"], await Db.ZRangeByScoreAsync(key, 0, 5, Ct));
        Assert.Equal(["low", "mid", "high"], await Db.ZRangeByScoreAsync(key, double.NegativeInfinity, double.PositiveInfinity, Ct));
    }

    [Fact]
    public async Task ZAdd_updates_the_score_of_an_existing_member()
    {
        var key = Key();
        await Db.ZAddAsync(key, "m", 1, Ct);
        await Db.ZAddAsync(key, "m", 7, Ct);
        Assert.Equal(1, await Db.ZCardAsync(key, Ct));
        Assert.Equal(["m"], await Db.ZRangeByScoreAsync(key, 7, 7, Ct));
    }

    [Fact]
    public async Task ZPopMin_pops_lowest_first_with_scores()
    {
        var key = Key();
        await Db.ZAddAsync(key, "b", 2, Ct);
        await Db.ZAddAsync(key, "a", 1, Ct);
        await Db.ZAddAsync(key, "c", 3.5, Ct);
        var popped = await Db.ZPopMinAsync(key, 2, Ct);
        Assert.Equal([("a", 1d), ("b", 2d)], popped);
        Assert.Equal(1, await Db.ZCardAsync(key, Ct));
        Assert.Empty((await Db.ZPopMinAsync(Key("missing"), 3, Ct))!);
    }

    [Fact]
    public async Task ZRemRangeByScore_removes_the_range()
    {
        var key = Key();
        for (var i = 0; i < 10; i++)
        {
            await Db.ZAddAsync(key, $"m{i}", i, Ct);
        }

        Assert.Equal(4, await Db.ZRemRangeByScoreAsync(key, 2, 5, Ct));
        Assert.Equal(6, await Db.ZCardAsync(key, Ct));
        Assert.Equal(0, await Db.ZCountAsync(key, 2, 5, Ct));
    }

    [Fact]
    public async Task Missing_sorted_set_counts_zero()
    {
        var key = Key();
        Assert.Equal(0, await Db.ZCardAsync(key, Ct));
        Assert.Equal(0, await Db.ZCountAsync(key, 0, 100, Ct));
        Assert.Empty((await Db.ZRangeByScoreAsync(key, 0, 100, Ct))!);
    }
}

public sealed class StandaloneSortedSetTests(RedisFixture fixture) : SortedSetTestCases(fixture);

public sealed class ClusterSortedSetTests(ClusterFixture fixture) : SortedSetTestCases(fixture);
