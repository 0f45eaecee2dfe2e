using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Storage;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>The local folder storage reads <c>root/bucket/location</c> and never a path outside the root.</summary>
public sealed class LocalFileStorageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("redisflow-local-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_bucket_slash_location_under_the_root_with_its_length()
    {
        Directory.CreateDirectory(Path.Combine(_root, "kb", "sub"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "kb", "sub", "a.pdf"), [1, 2, 3], Ct);
        var storage = new LocalFileStorage(_root);

        await using var file = await storage.OpenReadAsync("kb", "sub/a.pdf", Ct);
        using var copy = new MemoryStream();
        await file.Content.CopyToAsync(copy, Ct);

        Assert.Equal(3, file.Length);
        Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
    }

    [Theory]
    [InlineData("kb", "../outside.txt")]
    [InlineData("kb", "sub/../../outside.txt")]
    [InlineData("..", "outside.txt")]
    [InlineData("kb", "/etc/passwd")]
    [InlineData("/etc", "passwd")]
    [InlineData("kb", "..")]
    [InlineData("kb", "")]
    public async Task Paths_that_leave_the_root_are_rejected(string bucket, string location)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "outside.txt"), "secret", Ct);
        var storage = new LocalFileStorage(Path.Combine(_root, "store"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => storage.OpenReadAsync(bucket, location, Ct));
    }

    [Fact]
    public async Task A_missing_bucket_or_object_is_reported_as_not_found()
    {
        Directory.CreateDirectory(Path.Combine(_root, "kb"));
        var storage = new LocalFileStorage(_root);

        var missingObject = await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync("kb", "missing.pdf", Ct));
        await Assert.ThrowsAsync<StorageObjectNotFoundException>(() => storage.OpenReadAsync("no-such-bucket", "a.pdf", Ct));
        Assert.Equal("kb", missingObject.Bucket);
        Assert.Equal("missing.pdf", missingObject.Location);
    }

    [Fact]
    public void Factories_name_the_missing_setting()
    {
        var empty = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = "local", ["TaskSource:Provider"] = "sqlite" }).Build();

        var storage = Assert.Throws<RedisFlowConfigurationException>(() => new LocalFileStorageFactory().Create(empty.GetSection("Storage"), null!));
        var tasks = Assert.Throws<RedisFlowConfigurationException>(() => new SqliteTaskSourceFactory().Create(empty.GetSection("TaskSource"), null!));

        Assert.Equal("Storage:Root", storage.Setting);
        Assert.Equal("TaskSource:ConnectionString", tasks.Setting);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
