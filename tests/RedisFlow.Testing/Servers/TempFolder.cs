namespace RedisFlow.Testing.Servers;

/// <summary>A temp folder for one server's files, removed with everything in it when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates <c>/tmp/&lt;prefix&gt;XXXX</c>; <paramref name="openToAll"/> lets another user (PostgreSQL run as <c>nobody</c>) write in it.</summary>
    public TempFolder(string prefix, bool openToAll = false)
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (openToAll && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0x1FF); // rwxrwxrwx
        }
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held open; the OS cleans temp folders.
        }
    }
}
