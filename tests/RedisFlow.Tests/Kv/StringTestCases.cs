using System.Text;
using System.Text.Json;
using RedisFlow.Tests.Infrastructure;
using RedisFlow.Tests.Topologies;

namespace RedisFlow.Tests.Kv;

/// <summary>String capability cases, run on every topology by the one-line subclasses at the end.</summary>
public abstract class StringTestCases(IRedisTopology topology) : TopologyTestBase(topology)
{
    [Fact]
    public async Task Set_then_get_returns_the_value_and_sets_the_ttl()
    {
        var key = Key();
        Assert.True(await Db.SetAsync(key, "value", 120, Ct));
        Assert.Equal("value", await Db.GetAsync(key, Ct));
        var seconds = await TtlAsync(key);
        Assert.InRange(seconds, 110, 120);
    }

    [Fact]
    public async Task Default_expiry_is_one_hour_as_in_the_seed()
    {
        var key = Key();
        Assert.True(await Db.SetAsync(key, "v", ct: Ct));
        Assert.InRange(await TtlAsync(key), 3590, 3600);
    }

    [Fact]
    public async Task Exp_zero_answers_false_and_stores_nothing_as_the_seed()
    {
        // The seed sends SET ... EX 0, Redis refuses it, and the call answers False: a reply error, not a key without TTL.
        var key = Key();
        Assert.False(await Db.SetAsync(key, "v", 0, Ct));
        Assert.False(await Db.SetAsync(key, "v"u8.ToArray(), 0, Ct));
        Assert.False(await Db.SetIfAbsentAsync(key, "v", 0, Ct));
        Assert.False(await Db.TransactionAsync(key, "v", 0, Ct));
        Assert.Null(await Db.GetAsync(key, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.SetAsync(key, "v", -1, Ct));
    }

    [Fact]
    public async Task Exist_reports_presence_and_absence()
    {
        var key = Key();
        Assert.False(await Db.ExistAsync(key, Ct));
        await Db.SetAsync(key, "x", ct: Ct);
        Assert.True(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task Get_of_a_missing_key_is_null()
    {
        Assert.Null(await Db.GetAsync(Key(), Ct));
        Assert.Null(await Db.GetBytesAsync(Key(), Ct));
    }

    [Fact]
    public async Task Empty_values_round_trip_as_empty_not_null()
    {
        var key = Key();
        Assert.True(await Db.SetAsync(key, string.Empty, ct: Ct));
        Assert.Equal(string.Empty, await Db.GetAsync(key, Ct));
        var bytesKey = Key("b");
        Assert.True(await Db.SetAsync(bytesKey, Array.Empty<byte>(), ct: Ct));
        Assert.Empty((await Db.GetBytesAsync(bytesKey, Ct))!);
    }

    [Fact]
    public async Task Huge_binary_value_of_10_MiB_round_trips_byte_for_byte()
    {
        var key = Key();
        var value = new byte[10 * 1024 * 1024];
        new Random(42).NextBytes(value);
        Assert.True(await Db.SetAsync(key, value, 60, Ct));
        var read = await Db.GetBytesAsync(key, Ct);
        Assert.NotNull(read);
        Assert.True(value.AsSpan().SequenceEqual(read));
    }

    [Fact]
    public async Task Non_ascii_keys_and_values_round_trip()
    {
        var key = Key("文档/ключ/🔑");
        const string value = "Größe — 文档 — émoji 🚀";
        Assert.True(await Db.SetAsync(key, value, ct: Ct));
        Assert.Equal(value, await Db.GetAsync(key, Ct));
        Assert.True(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task SetObj_writes_utf8_json_keeping_non_ascii_as_is()
    {
        var key = Key();
        Assert.True(await Db.SetObjAsync(key, new { name = "文档", size = 3, ok = true }, 60, Ct));
        var raw = await Db.GetBytesAsync(key, Ct);
        var text = Encoding.UTF8.GetString(raw!);
        Assert.Equal("{\"name\":\"文档\",\"size\":3,\"ok\":true}", text);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("文档", doc.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task MGet_returns_values_in_order_with_null_for_missing()
    {
        var a = Key("a");
        var b = Key("b");
        var missing = Key("missing");
        await Db.SetAsync(a, "1", ct: Ct);
        await Db.SetAsync(b, "2", ct: Ct);
        var values = await Db.MGetAsync([a, missing, b], Ct);
        Assert.Equal(new string?[] { "1", null, "2" }, values.AsEnumerable());
        Assert.Empty(await Db.MGetAsync([], Ct));
    }

    [Fact]
    public async Task SetIfAbsent_stores_only_once()
    {
        var key = Key();
        Assert.True(await Db.SetIfAbsentAsync(key, "first", 60, Ct));
        Assert.False(await Db.SetIfAbsentAsync(key, "second", 60, Ct));
        Assert.Equal("first", await Db.GetAsync(key, Ct));
        Assert.InRange(await TtlAsync(key), 50, 60);
    }

    [Fact]
    public async Task Transaction_sets_if_absent_with_ttl_and_reports_execution_like_the_seed()
    {
        var key = Key();
        Assert.True(await Db.TransactionAsync(key, "first", 720, Ct));
        Assert.Equal("first", await Db.GetAsync(key, Ct));
        Assert.InRange(await TtlAsync(key), 700, 720);

        // The seed answers True once the transaction ran, even when NX kept the old value.
        Assert.True(await Db.TransactionAsync(key, "second", 720, Ct));
        Assert.Equal("first", await Db.GetAsync(key, Ct));

        var bytesKey = Key("bytes");
        Assert.True(await Db.TransactionAsync(bytesKey, new byte[] { 0, 1, 2, 255 }, 60, Ct));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await Db.GetBytesAsync(bytesKey, Ct));
    }

    [Fact]
    public async Task IncrBy_and_DecrBy_count()
    {
        var key = Key();
        Assert.Equal(5, await Db.IncrByAsync(key, 5, Ct));
        Assert.Equal(3, await Db.DecrByAsync(key, 2, Ct));
        await Db.SetAsync(key, "not a number", ct: Ct);
        Assert.Null(await Db.IncrByAsync(key, 1, Ct));
    }

    [Fact]
    public async Task Delete_removes_the_key()
    {
        var key = Key();
        await Db.SetAsync(key, "x", ct: Ct);
        Assert.True(await Db.DeleteAsync(key, Ct));
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.True(await Db.DeleteAsync(key, Ct));
    }

    [Fact]
    public async Task DeleteIfEqual_deletes_only_the_expected_value()
    {
        var key = Key();
        await Db.SetAsync(key, "mine", ct: Ct);
        Assert.False(await Db.DeleteIfEqualAsync(key, "theirs", Ct));
        Assert.Equal("mine", await Db.GetAsync(key, Ct));
        Assert.True(await Db.DeleteIfEqualAsync(key, "mine", Ct));
        Assert.False(await Db.ExistAsync(key, Ct));
        Assert.False(await Db.DeleteIfEqualAsync(key, "mine", Ct));
    }

    [Fact]
    public async Task DeleteIfEqual_reloads_its_script_after_SCRIPT_FLUSH()
    {
        var key = Key();
        await Db.SetAsync(key, "v", ct: Ct);
        await Topology.FlushScriptsAsync(Ct);
        Assert.True(await Db.DeleteIfEqualAsync(key, "v", Ct));
        Assert.False(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task Wrong_type_keys_answer_null_or_false_without_throwing()
    {
        var key = Key();
        Assert.True(await Db.SAddAsync(key, "member", Ct));
        Assert.Null(await Db.GetAsync(key, Ct));
        Assert.Null(await Db.GetBytesAsync(key, Ct));
        Assert.Null(await Db.IncrByAsync(key, 1, Ct));
        Assert.Null(await Db.ZPopMinAsync(key, 1, Ct));
        Assert.Null(await Db.ZRangeByScoreAsync(key, 0, 1, Ct));
        Assert.False(await Db.ZAddAsync(key, "m", 1, Ct));
        Assert.Equal(0, await Db.ZCardAsync(key, Ct));
        Assert.False(await Db.DeleteIfEqualAsync(key, "member", Ct));
        Assert.True(await Db.ExistAsync(key, Ct));
    }

    [Fact]
    public async Task Bad_arguments_throw_argument_exceptions()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Db.GetAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.SetAsync(Key(), "v", -1, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Db.ZPopMinAsync(Key(), 0, Ct));
    }

    [Fact]
    public async Task Cancellation_throws_rather_than_answering_false()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Db.GetAsync(Key(), cts.Token));
    }

    private async Task<long> TtlAsync(string key)
    {
        var db = await Db.GetDatabaseAsync(Ct);
        var ttl = await db.KeyTimeToLiveAsync(key);
        return (long)(ttl?.TotalSeconds ?? -1);
    }
}

public sealed class StandaloneStringTests(RedisFixture fixture) : StringTestCases(fixture);

public sealed class ClusterStringTests(ClusterFixture fixture) : StringTestCases(fixture);
