namespace RedisFlow.Testing;

/// <summary>Files of the repository the tests run from (docs checked against the code they describe).</summary>
public static class RepositoryFiles
{
    /// <summary>The text of <paramref name="relativePath"/> under the folder holding <c>RedisFlow.slnx</c>.</summary>
    /// <exception cref="FileNotFoundException">No repository root above the test binaries.</exception>
    public static string ReadAllText(params string[] relativePath)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RedisFlow.slnx")))
        {
            folder = folder.Parent;
        }

        if (folder is null)
        {
            throw new FileNotFoundException("RedisFlow.slnx was not found above " + AppContext.BaseDirectory);
        }

        return File.ReadAllText(Path.Combine([folder.FullName, .. relativePath]));
    }
}
