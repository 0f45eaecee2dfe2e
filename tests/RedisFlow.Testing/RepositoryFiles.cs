namespace RedisFlow.Testing;

/// <summary>Files of the repository the tests run from (docs checked against the code they describe).</summary>
public static class RepositoryFiles
{
    /// <summary>The folder holding <c>RedisFlow.slnx</c>, above the test binaries.</summary>
    /// <exception cref="FileNotFoundException">No repository root above the test binaries.</exception>
    public static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RedisFlow.slnx")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new FileNotFoundException("RedisFlow.slnx was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The text of <paramref name="relativePath"/> under <see cref="Root"/>.</summary>
    /// <exception cref="FileNotFoundException">No repository root above the test binaries.</exception>
    public static string ReadAllText(params string[] relativePath) => File.ReadAllText(Path.Combine([Root, .. relativePath]));
}
