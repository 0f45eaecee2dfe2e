namespace RedisFlow.Embedded;

/// <summary>Finds programs on PATH (and the usual sbin folders Debian packages install servers in).</summary>
public static class ExternalProgram
{
    private static readonly string[] ExtraFolders = ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"];

    /// <summary>The full path of <paramref name="name"/>, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(ExtraFolders))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The full path of <paramref name="name"/>, or an exception saying how to install it.</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new InvalidOperationException(
            $"'{name}' was not found on PATH. Install it with 'apt-get install {debianPackage}' " +
            "(scripts/install-prereqs.sh does this).");
}
