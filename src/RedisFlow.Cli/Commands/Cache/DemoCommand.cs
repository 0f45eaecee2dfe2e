using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.CacheServer.Storage;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>
/// <c>redisflow demo</c>: puts sample documents, files and running tasks into the embedded defaults (SQLite, a local
/// folder, a private redis-server), runs the daemon until they are cached, lists them, and exits 0.
/// </summary>
internal static class DemoCommand
{
    private static readonly (string Name, int Size)[] Samples =
    [
        ("welcome.txt", 4 * 1024),
        ("report.pdf", 256 * 1024),
        ("slides.pptx", 1024 * 1024),
        ("scan.png", 3 * 1024 * 1024),
        ("dataset.csv", 8 * 1024 * 1024),
    ];

    public static Command Create()
    {
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds (1 to 86400; default 90)", DefaultValueFactory = _ => 90 };
        var command = new Command("demo", "Sample documents, files and running tasks in the embedded defaults (SQLite, local folder, private Redis); cache them and list them") { timeout };
        command.Options.Add(CacheDefaults.DataFolder);
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            // Checked before anything is written: -1 ran the whole demo and then reported a failure.
            if (context.Parse.GetValue(timeout) is < 1 or > 86_400)
            {
                throw new CliException("--timeout must be from 1 to 86400 (seconds)", CommandRunner.ConfigurationError);
            }

            var dataFolder = CacheDefaults.DataFolderOf(context.Parse);
            var configuration = CacheDefaults.WithDefaults(context.Configuration, dataFolder);
            var connectionString = CacheDefaults.SqliteConnectionStringOf(configuration);
            var storageSection = configuration.GetSection(CacheServerServiceCollectionExtensions.StorageSection);
            if (!string.Equals(storageSection["Provider"] ?? "local", "local", StringComparison.OrdinalIgnoreCase))
            {
                throw new RedisFlowConfigurationException("Storage:Provider", $"is '{storageSection["Provider"]}'; the demo writes its sample files to a local folder (Storage:Provider=local).");
            }

            var storage = new LocalFileStorage(storageSection["Root"]!);
            await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), connectionString, ct).ConfigureAwait(false);
            var (rows, expected, skipped) = await WriteSamplesAsync(storage, ct).ConfigureAwait(false);
            var database = new SqliteConnection(connectionString);
            await using (database.ConfigureAwait(false))
            {
                await database.OpenAsync(ct).ConfigureAwait(false);
                await RagflowSql.InsertAsync(database, rows, ct).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"demo: {expected.Count} running documents and {skipped.Count} finished/cancelled ones in {new SqliteConnectionStringBuilder(connectionString).DataSource}, files under {storage.Root}").ConfigureAwait(false);
            var host = await CacheHost.StartAsync(context, configuration, quiet: true, ct).ConfigureAwait(false);
            await using (host.ConfigureAwait(false))
            {
                var db = await context.ConnectAsync(ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"daemon started on Redis {context.EmbeddedRedis?.Endpoint ?? db.Options.ToString()}; caching...").ConfigureAwait(false);
                var cachedAll = await ShowProgressAsync(context, db, expected, TimeSpan.FromSeconds(context.Parse.GetValue(timeout)), ct).ConfigureAwait(false);
                if (!cachedAll)
                {
                    return 1;
                }

                foreach (var key in skipped)
                {
                    if (await db.ExistAsync(key, ct).ConfigureAwait(false) == true)
                    {
                        await context.Error.WriteLineAsync($"error: '{key}' belongs to a finished or cancelled task but was cached").ConfigureAwait(false);
                        return 1;
                    }
                }

                await context.Out.WriteLineAsync($"not cached, as expected (finished or cancelled tasks): {string.Join(", ", skipped)}").ConfigureAwait(false);
                var listed = await CachedKeys.ListAsync(db, "*/*", 1000, CacheKeyShape.MaxTtl(configuration), ct).ConfigureAwait(false);
                await CachedKeys.PrintAsync(context, [.. listed.Where(e => expected.ContainsKey(e.Key))]).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static async Task<(RagflowRows Rows, Dictionary<string, byte[]> Expected, List<string> Skipped)> WriteSamplesAsync(LocalFileStorage storage, CancellationToken ct)
    {
        var rows = new RagflowRows();
        var kb = RagflowRows.NewId();
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, size) in Samples)
        {
            rows.AddDocument(kb, name);
            expected[$"{kb}/{name}"] = await WriteFileAsync(storage, kb, name, size, ct).ConfigureAwait(false);
        }

        // A document uploaded through RAGFlow's file manager: its bucket is the folder (file.parent_id), not the knowledge base.
        var folder = RagflowRows.NewId();
        var linked = rows.AddDocument(kb, "handbook.docx");
        rows.LinkFile(linked, folder);
        expected[$"{folder}/handbook.docx"] = await WriteFileAsync(storage, folder, "handbook.docx", 2 * 1024 * 1024, ct).ConfigureAwait(false);

        rows.AddDocument(kb, "finished.pdf", progress: 1);
        rows.AddDocument(kb, "cancelled.pdf", run: "2");
        await WriteFileAsync(storage, kb, "finished.pdf", 64 * 1024, ct).ConfigureAwait(false);
        await WriteFileAsync(storage, kb, "cancelled.pdf", 64 * 1024, ct).ConfigureAwait(false);
        return (rows, expected, [$"{kb}/finished.pdf", $"{kb}/cancelled.pdf"]);
    }

    private static async Task<byte[]> WriteFileAsync(LocalFileStorage storage, string bucket, string location, int size, CancellationToken ct)
    {
        var content = new byte[size];
        RandomNumberGenerator.Fill(content);
        var path = storage.PathOf(bucket, location);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content, ct).ConfigureAwait(false);
        return SHA256.HashData(content);
    }

    private static async Task<bool> ShowProgressAsync(CliContext context, RedisDb db, Dictionary<string, byte[]> expected, TimeSpan limit, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < expected.Count)
        {
            if (started.Elapsed > limit)
            {
                await context.Error.WriteLineAsync($"error: only {done.Count} of {expected.Count} files were cached within {limit.TotalSeconds:0} s").ConfigureAwait(false);
                return false;
            }

            foreach (var (key, hash) in expected)
            {
                if (done.Contains(key) || await db.ExistAsync(key, ct).ConfigureAwait(false) != true)
                {
                    continue;
                }

                var bytes = await db.GetBytesAsync(key, ct).ConfigureAwait(false);
                var same = bytes is not null && SHA256.HashData(bytes).AsSpan().SequenceEqual(hash);
                done.Add(key);
                await context.Out.WriteLineAsync($"  [{done.Count}/{expected.Count}] {started.Elapsed.TotalSeconds,5:0.0}s  cached {key} ({InfoCommand.Bytes(bytes?.Length ?? 0)}, {(same ? "bytes match the file" : "BYTES DIFFER")})").ConfigureAwait(false);
                if (!same)
                {
                    return false;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"all {expected.Count} files cached in {started.Elapsed.TotalSeconds:0.0} s").ConfigureAwait(false);
        return true;
    }
}
