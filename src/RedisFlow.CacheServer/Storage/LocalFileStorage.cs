namespace RedisFlow.CacheServer.Storage;

/// <summary>
/// Files in a local folder laid out as <c>&lt;root&gt;/&lt;bucket&gt;/&lt;location&gt;</c>: the embedded default storage.
/// A bucket or location that would leave the root (<c>..</c>, an absolute path) is rejected.
/// </summary>
public sealed class LocalFileStorage : IFileStorage
{
    private readonly string _root;

    /// <summary>Creates the storage on <paramref name="root"/> (made absolute; it need not exist yet).</summary>
    public LocalFileStorage(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <inheritdoc />
    public string Name => "local";

    /// <summary>The absolute root folder.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var path = PathOf(bucket, location);
        try
        {
            // Asynchronous, sequential reads with a small buffer: the daemon reads chunk by chunk.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(new StoredFile(stream, stream.Length));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageObjectNotFoundException(bucket, location, ex);
        }
    }

    /// <summary>
    /// The file path of <paramref name="location"/> in <paramref name="bucket"/>, checked to stay inside the root.
    /// </summary>
    /// <exception cref="ArgumentException">The bucket or location is empty, absolute, or climbs out of its folder.</exception>
    public string PathOf(string bucket, string location)
    {
        CheckPart(bucket, nameof(bucket));
        CheckPart(location, nameof(location));
        var bucketFolder = Path.GetFullPath(Path.Combine(_root, bucket));
        var path = Path.GetFullPath(Path.Combine(bucketFolder, location));
        if (!IsStrictlyInside(bucketFolder, _root) || !IsStrictlyInside(path, bucketFolder))
        {
            throw new ArgumentException("The bucket or location leaves the storage root.", nameof(location));
        }

        return path;
    }

    private static void CheckPart(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (Path.IsPathRooted(value) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An absolute path or a NUL character is not allowed.", name);
        }

        foreach (var segment in value.Split('/', '\\'))
        {
            if (segment is ".." or ".")
            {
                throw new ArgumentException("'.' and '..' path segments are not allowed.", name);
            }
        }
    }

    private static bool IsStrictlyInside(string path, string folder) =>
        path.Length > folder.Length + 1 &&
        path.StartsWith(folder, StringComparison.Ordinal) &&
        path[folder.Length] == Path.DirectorySeparatorChar;
}
