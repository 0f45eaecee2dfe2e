namespace RedisFlow.Benchmarks.Harness;

/// <summary>Finds the repository (the folder holding RedisFlow.slnx) from the working folder or the program's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string BullMq => Path.Combine(Root, "bench", "bullmq");

    public static string Results => Path.Combine(Root, "bench", "results");

    private static string FindRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RedisFlow.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("RedisFlow.slnx not found above the working folder or the program's folder; run from the repository.");
    }
}
