using RedisFlow.Embedded;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// Finds the storage emulators installed from npm into <c>tools/emulators/node_modules</c> (by
/// <c>scripts/install-prereqs.sh test</c>, which runs <c>npm ci</c> there) and the <c>node</c> that runs them.
/// </summary>
public static class NodeEmulators
{
    /// <summary>Overrides where <c>tools/emulators</c> is, for runs outside the repository.</summary>
    public const string FolderVariable = "REDISFLOW_EMULATORS_DIR";

    /// <summary>The <c>node</c> program.</summary>
    public static string Node => ExternalProgram.Require("node", "nodejs");

    /// <summary>The full path of <paramref name="relativePath"/> inside <c>tools/emulators/node_modules</c>.</summary>
    public static string Script(string relativePath)
    {
        var folder = Folder();
        var script = Path.Combine(folder, "node_modules", relativePath);
        return File.Exists(script)
            ? script
            : throw new InvalidOperationException(
                $"{script} is missing: install the emulators with 'npm ci --prefix {folder}' (scripts/install-prereqs.sh test does it).");
    }

    private static string Folder()
    {
        var configured = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        // Walk up from the test binaries (…/tests/X/bin/Release/net10.0) to the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "emulators");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tools/emulators/package.json was not found above {AppContext.BaseDirectory}; set {FolderVariable}.");
    }
}
