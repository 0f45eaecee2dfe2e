using System.Text.Json;
using StackExchange.Redis;

namespace RedisFlow.Cli.Tests;

/// <summary>Issue 12 rows 3, 6 (output path), 11 (--limit) and 17 ('@' names): <c>cache</c> touches cached files only.</summary>
public sealed class CacheCommandTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    [Fact]
    public async Task Evict_get_and_ls_refuse_keys_that_are_not_cached_files()
    {
        // Row 3: a task stream, a string without TTL and one with a longer TTL than Cache:Ttl are not cached files.
        var stream = SharedRedis.Name("te.0.common");
        await redis.Db.StreamAddAsync(stream, "message", "{}");
        await redis.Db.StreamCreateConsumerGroupAsync(stream, "g", "0");
        _ = await redis.Db.StreamReadGroupAsync(stream, "g", "c", ">", 1);
        var prefix = SharedRedis.Name("kb");
        var noTtl = $"{prefix}/no-ttl.pdf";
        var longTtl = $"{prefix}/long-ttl.pdf";
        var cached = $"{prefix}/cached.pdf";
        await redis.Db.StringSetAsync(noTtl, "n");
        await redis.Db.StringSetAsync(longTtl, "l", TimeSpan.FromHours(1));
        await redis.Db.StringSetAsync(cached, "cached bytes", TimeSpan.FromMinutes(10));

        var (code, stdout, stderr) = await CliRunner.RunAsync("cache", "evict", stream, noTtl, longTtl, cached, "--redis", redis.Endpoint);
        Assert.Equal(1, code);
        Assert.Equal("removed 1", stdout.Trim());
        Assert.Contains("not a cached file", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await redis.Db.StreamLengthAsync(stream));
        Assert.Equal(1, (await redis.Db.StreamPendingAsync(stream, "g")).PendingMessageCount);
        Assert.True(await redis.Db.KeyExistsAsync(noTtl));
        Assert.True(await redis.Db.KeyExistsAsync(longTtl));
        Assert.False(await redis.Db.KeyExistsAsync(cached));

        (code, stdout, stderr) = await CliRunner.RunAsync("cache", "get", longTtl, "--redis", redis.Endpoint);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);

        await redis.Db.StringSetAsync(cached, "cached bytes", TimeSpan.FromMinutes(10));
        (code, stdout, stderr) = await CliRunner.RunAsync("cache", "ls", "--match", prefix + "/*", "--json", "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.Equal([cached], doc.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        }

        (code, stdout, _) = await CliRunner.RunAsync("cache", "evict", noTtl, "--force", "--redis", redis.Endpoint);
        Assert.Equal(0, code);
        Assert.Equal("removed 1", stdout.Trim());
    }

    [Fact]
    public async Task Names_beginning_with_at_are_names_not_response_files()
    {
        // Rows 3 and 17: '@file' once read the key names from a file; now '@kb/doc.pdf' is a key like any other.
        var key = "@" + SharedRedis.Name("kb") + "/doc.pdf";
        await redis.Db.StringSetAsync(key, "hello", TimeSpan.FromMinutes(5));
        var (code, stdout, stderr) = await CliRunner.RunAsync("cache", "get", key, "--redis", redis.Endpoint);
        Assert.True(code == 0, stderr);
        Assert.Equal("hello", stdout);

        var stream = SharedRedis.Name("te.0.common");
        await redis.Db.StreamAddAsync(stream, "message", "{}");
        var file = Path.Combine(Directory.CreateTempSubdirectory("redisflow-cli-resp-").FullName, "keys");
        await File.WriteAllTextAsync(file, stream, TestContext.Current.CancellationToken);
        (code, stdout, _) = await CliRunner.RunAsync("cache", "evict", "@" + file, "--redis", redis.Endpoint, "--force");
        Assert.Equal(0, code);
        Assert.Equal("removed 0", stdout.Trim());
        Assert.Equal(1, await redis.Db.StreamLengthAsync(stream));
    }

    [Fact]
    public async Task Output_path_and_limit_are_checked_as_invalid_input()
    {
        // Rows 6 and 11.
        var key = SharedRedis.Name("kb") + "/f.pdf";
        await redis.Db.StringSetAsync(key, "x", TimeSpan.FromMinutes(5));
        var runs = await Task.WhenAll(
            CliRunner.RunAsync("cache", "get", key, "-o", Path.GetTempPath(), "--redis", redis.Endpoint),
            CliRunner.RunAsync("cache", "get", key, "-o", "/nonexistent-redisflow/f", "--redis", redis.Endpoint),
            CliRunner.RunAsync("cache", "ls", "--limit", "0", "--redis", redis.Endpoint),
            CliRunner.RunAsync("cache", "ls", "--limit", "-5", "--redis", redis.Endpoint));
        Assert.All(runs, r =>
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Equal(string.Empty, r.Stdout);
            CliRunner.NoStackTrace(r.Stderr);
        });
        Assert.Contains("is a directory", runs[0].Stderr, StringComparison.Ordinal);
        Assert.Contains("--output", runs[1].Stderr, StringComparison.Ordinal);
        Assert.Contains("--limit", runs[2].Stderr, StringComparison.Ordinal);
    }
}
