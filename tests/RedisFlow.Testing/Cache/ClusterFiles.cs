using System.Globalization;
using RedisFlow.CacheServer.Caching;

namespace RedisFlow.Testing.Cache;

/// <summary>Files for the daemon's tests on a Redis Cluster: names spread over every primary, random content.</summary>
public static class ClusterFiles
{
    /// <summary>File names whose keys <c>bucket/name</c> fall in each third of the slot space (one primary each).</summary>
    public static List<string> LocationsOnEveryThird(string bucket, int perThird)
    {
        var counts = new int[3];
        var locations = new List<string>();
        for (var i = 0; i < 10_000 && counts.Any(c => c < perThird); i++)
        {
            var location = $"doc-{i.ToString(CultureInfo.InvariantCulture)}.pdf";
            var third = Math.Min(2, CacheKeys.HashSlot($"{bucket}/{location}") * 3 / 16384);
            if (counts[third] < perThird)
            {
                counts[third]++;
                locations.Add(location);
            }
        }

        Assert.Equal(3 * perThird, locations.Count);
        return locations;
    }

    /// <summary>Uploads <paramref name="size"/> random bytes as <paramref name="location"/>; answers them.</summary>
    public static async Task<byte[]> UploadRandomAsync(ITestFileStore store, string bucket, string location, int size, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var content = new byte[size];
        Random.Shared.NextBytes(content);
        await store.UploadAsync(bucket, location, new MemoryStream(content), ct).ConfigureAwait(false);
        return content;
    }
}
