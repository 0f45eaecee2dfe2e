using System.IO.Compression;
using System.Xml.Linq;
using RedisFlow.Testing;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Cli.Tests;

/// <summary>Every package packs with its metadata, and the CLI installs from the packed folder as a .NET tool.</summary>
public sealed class PackagingTests
{
    private static readonly string[] Packages =
    [
        "RedisFlow", "RedisFlow.CacheServer", "RedisFlow.Tasks.Sqlite", "RedisFlow.Tasks.MySql",
        "RedisFlow.Tasks.PostgreSql", "RedisFlow.Storage.S3", "RedisFlow.Storage.Azure", "RedisFlow.Storage.Encryption", "RedisFlow.Configuration.Ragflow",
        "RedisFlow.Dashboard", "RedisFlow.OpenTelemetry", "RedisFlow.Cli",
    ];

    /// <summary>Projects the tool carries inside its own package, not published on their own.</summary>
    private static readonly string[] InsideTheTool = ["RedisFlow.Embedded", "RedisFlow.SampleData"];

    [Fact]
    public async Task Every_package_packs_with_its_metadata_and_the_tool_installs_and_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var root = RepositoryFiles.Root;
        var output = Directory.CreateTempSubdirectory("redisflow-pack-").FullName;
        try
        {
            // The solution is already built (Release) by the test command: pack what was built.
            await ChildProcess.RunToSuccessAsync("dotnet", ["pack", Path.Combine(root, "RedisFlow.slnx"), "-c", "Release", "--no-build", "-o", output],
                TimeSpan.FromMinutes(5), ct: ct);

            foreach (var id in Packages)
            {
                var package = Assert.Single(Directory.GetFiles(output, $"{id}.*.nupkg"), f => IsVersionOf(f, id, ".nupkg"));
                Assert.Single(Directory.GetFiles(output, $"{id}.*.snupkg"), f => IsVersionOf(f, id, ".snupkg"));
                var nuspec = ReadNuspec(package);
                var ns = nuspec.Root!.Name.Namespace;
                var metadata = nuspec.Root.Element(ns + "metadata")!;
                Assert.Equal("Apache-2.0", metadata.Element(ns + "license")?.Value);
                Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
                Assert.False(string.IsNullOrEmpty(metadata.Element(ns + "tags")?.Value), $"{id} has no tags");
                Assert.False(string.IsNullOrEmpty(metadata.Element(ns + "repository")?.Attribute("url")?.Value), $"{id} has no repository url");
                Assert.DoesNotContain("1.0.0", metadata.Element(ns + "version")!.Value, StringComparison.Ordinal);
            }

            foreach (var id in InsideTheTool)
            {
                Assert.DoesNotContain(Directory.GetFiles(output, $"{id}.*nupkg"), f => IsVersionOf(f, id, Path.GetExtension(f)));
            }

            using (var tool = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(output, "RedisFlow.Cli.*.nupkg"), f => IsVersionOf(f, "RedisFlow.Cli", ".nupkg"))))
            {
                foreach (var id in InsideTheTool)
                {
                    Assert.Contains(tool.Entries, e => e.Name == $"{id}.dll");
                }
            }

            var tools = Path.Combine(output, "tools");
            await ChildProcess.RunToSuccessAsync("dotnet", ["tool", "install", "RedisFlow.Cli", "--tool-path", tools, "--add-source", output, "--prerelease"],
                TimeSpan.FromMinutes(5), ct: ct);
            var help = await ChildProcess.RunToSuccessAsync(Path.Combine(tools, "redisflow"), ["--help"], TimeSpan.FromMinutes(1), ct: ct);
            Assert.Contains("serve", help, StringComparison.Ordinal);
            // The demo needs the sample data and the private redis-server that ship inside the tool.
            var demo = await ChildProcess.RunToSuccessAsync(Path.Combine(tools, "redisflow"), ["demo", "--data", Path.Combine(output, "demo")], TimeSpan.FromMinutes(2), ct: ct);
            Assert.Contains("all 6 files cached", demo, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Whether <paramref name="file"/> is <paramref name="id"/> followed by a version (not RedisFlow.Cli for RedisFlow).</summary>
    private static bool IsVersionOf(string file, string id, string extension)
    {
        var name = Path.GetFileName(file);
        var version = name[(id.Length + 1)..^extension.Length];
        return char.IsAsciiDigit(version[0]);
    }

    private static XDocument ReadNuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
