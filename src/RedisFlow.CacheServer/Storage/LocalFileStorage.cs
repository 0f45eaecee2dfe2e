namespace RedisFlow.CacheServer.Storage;

/// <summary>
/// Files in a local folder laid out as <c>&lt;root&gt;/&lt;bucket&gt;/&lt;location&gt;</c>: the embedded default storage.
/// A bucket or location that would leave the root (<c>..</c>, an absolute path, a symbolic link leading out) is rejected.
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
        if (Directory.Exists(path))
        {
            // Opening it would say "Access to the path is denied", which sends an operator after permissions.
            throw new IOException($"'{bucket}/{location}' is a directory in the storage root, not a file.");
        }

        FileStream stream;
        try
        {
            // Asynchronous, sequential reads with a small buffer: the daemon reads chunk by chunk.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16 * 1024,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageObjectNotFoundException(bucket, location, ex);
        }

        try
        {
            CheckOpenedInsideRoot(stream, path, bucket, location);
            return Task.FromResult(new StoredFile(stream, stream.Length));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses a file whose real location is outside the root (a symbolic link in the folder, or in the path, that
    /// leads elsewhere). The file actually opened is checked, through its descriptor, not the name before opening,
    /// so a link swapped in between is caught too.
    /// </summary>
    private void CheckOpenedInsideRoot(FileStream stream, string path, string bucket, string location)
    {
        var opened = OpenedPath(stream) ?? RealPath(path);
        var root = RealPath(_root);
        if (!IsStrictlyInside(opened, root))
        {
            throw new UnauthorizedAccessException($"'{bucket}/{location}' leads outside the storage root (a symbolic link); refused.");
        }
    }

    /// <summary>The path the kernel reports for the open descriptor (Linux /proc); null where it cannot tell.</summary>
    private static string? OpenedPath(FileStream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = stream.SafeFileHandle.DangerousGetHandle().ToInt64();
        var target = new FileInfo($"/proc/self/fd/{fd.ToString(System.Globalization.CultureInfo.InvariantCulture)}").LinkTarget;
        return target is not null && target.StartsWith('/') ? target : null;
    }

    /// <summary>The path with every symbolic link in it resolved (at most 40, as the kernel allows).</summary>
    private static string RealPath(string path)
    {
        var resolved = Path.DirectorySeparatorChar.ToString();
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        for (var links = 0; pending.Count > 0;)
        {
            var part = pending.Pop();
            var next = Path.Combine(resolved, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }

            if (++links > 40)
            {
                throw new IOException($"Too many symbolic links in '{path}'.");
            }

            var absolute = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(resolved, target));
            foreach (var piece in absolute.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }

            resolved = Path.DirectorySeparatorChar.ToString();
        }

        return resolved;
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
