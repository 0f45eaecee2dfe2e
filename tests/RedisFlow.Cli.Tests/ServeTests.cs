using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using RedisFlow.SampleData;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Tests;

/// <summary>Issue 12 rows 8, 10, 15 and 16: the daemon logs like a daemon, stays in its root, and checks its settings at start-up.</summary>
public sealed class ServeTests(RedisFixture fixture)
{
    private readonly SharedRedis redis = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_logs_each_failing_file_once_with_its_cause_and_refuses_symlinks_out_of_the_root()
    {
        // Rows 8 and 10: bad rows logged a full exception every cycle; a symlink to /etc/hostname was cached.
        var data = Directory.CreateTempSubdirectory("redisflow-cli-serve-").FullName;
        var kb = RagflowRows.NewId();
        var files = Path.Combine(data, "files", kb);
        Directory.CreateDirectory(Path.Combine(files, "a-directory"));
        await File.WriteAllTextAsync(Path.Combine(files, "good.txt"), "good", Ct);
        File.CreateSymbolicLink(Path.Combine(files, "link.txt"), "/etc/hostname");
        var rows = new RagflowRows();
        var bad = new[] { "../escape.txt", "/etc/hostname", "a-directory", "link.txt" };
        rows.AddDocument(kb, "good.txt");
        foreach (var location in bad)
        {
            rows.AddDocument(kb, location);
        }

        rows.AddDocument("..", "parent.txt");
        await CreateDatabaseAsync(Path.Combine(data, "tasks.db"), rows);

        var output = new StringBuilder();
        var cycles = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = CliRunner.Start(new Dictionary<string, string> { ["Cache__PollInterval"] = "00:00:00.050" }, false, "serve", "--data", data, "--redis", redis.Endpoint);
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data.Contains("TASKS: 6", StringComparison.Ordinal) && ++cycles >= 20)
                {
                    enough.TrySetResult();
                }
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        }
        finally
        {
            await CliRunner.SignalAsync(process, "TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
        }

        string[] lines;
        lock (output)
        {
            lines = output.ToString().Split('\n');
        }

        string Failure(string key)
        {
            var failures = lines.Where(l => l.Contains($"Caching '{key}' failed", StringComparison.Ordinal)).ToList();
            Assert.True(failures.Count == 1, $"{failures.Count} warnings for {key} over 20 cycles:\n{string.Join('\n', lines.Take(200))}");
            return failures[0];
        }

        Assert.Contains("refused: '.' and '..' path segments are not allowed", Failure($"{kb}/../escape.txt"), StringComparison.Ordinal);
        Assert.Contains("absolute path", Failure($"{kb}//etc/hostname"), StringComparison.Ordinal);
        Assert.Contains("is a directory", Failure($"{kb}/a-directory"), StringComparison.Ordinal);
        Assert.Contains("leads outside the storage root", Failure($"{kb}/link.txt"), StringComparison.Ordinal);
        _ = Failure("../parent.txt");
        Assert.True(await redis.Db.KeyExistsAsync($"{kb}/good.txt"));
        Assert.False(await redis.Db.KeyExistsAsync($"{kb}/link.txt"));
    }

    [Fact]
    public async Task Serve_never_creates_a_missing_sqlite_file()
    {
        // Row 16: a typo created an empty database, then "no such table: task" every second, naming no file.
        var folder = Directory.CreateTempSubdirectory("redisflow-cli-typo-").FullName;
        var typo = Path.Combine(folder, "typo.db");
        var runs = await Task.WhenAll(
            CliRunner.RunAsync(new Dictionary<string, string> { ["TaskSource__ConnectionString"] = $"Data Source={typo}" }, "serve", "--redis", redis.Endpoint),
            CliRunner.RunAsync("serve", "--data", folder, "--redis", redis.Endpoint));
        Assert.Equal(2, runs[0].ExitCode);
        Assert.Contains(typo, runs[0].Stderr, StringComparison.Ordinal);
        Assert.Contains("TaskSource:ConnectionString", runs[0].Stderr, StringComparison.Ordinal);
        Assert.Equal(2, runs[1].ExitCode);
        Assert.Contains("redisflow db init", runs[1].Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(typo));
        Assert.False(File.Exists(Path.Combine(folder, "tasks.db")));
    }

    [Fact]
    public async Task Serve_refuses_credentials_inside_a_storage_url_and_bad_bucket_names_at_start_up()
    {
        // Row 15: an info log printed http://AK:SECRET@... ; a bucket S3 cannot have failed on every file instead of at start-up.
        var data = Directory.CreateTempSubdirectory("redisflow-cli-s3-").FullName;
        await CreateDatabaseAsync(Path.Combine(data, "tasks.db"), new RagflowRows());
        var runs = await Task.WhenAll(
            CliRunner.RunAsync(new Dictionary<string, string> { ["Storage__Provider"] = "s3", ["Storage__Endpoint"] = "http://AK:SECRETinURL@127.0.0.1:1" }, "serve", "--data", data, "--redis", redis.Endpoint),
            CliRunner.RunAsync(new Dictionary<string, string> { ["Storage__Provider"] = "s3", ["Storage__Endpoint"] = "http://127.0.0.1:1", ["Storage__Bucket"] = "Bad_Bucket" }, "serve", "--data", data, "--redis", redis.Endpoint));
        Assert.All(runs, r =>
        {
            Assert.Equal(2, r.ExitCode);
            CliRunner.NoStackTrace(r.Stderr + r.Stdout);
        });
        Assert.Contains("Storage:Endpoint", runs[0].Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETinURL", runs[0].Stderr + runs[0].Stdout, StringComparison.Ordinal);
        Assert.Contains("Storage:Bucket", runs[1].Stderr, StringComparison.Ordinal);
    }

    /// <summary>A SQLite task database with RAGFlow's tables and <paramref name="rows"/>, as serve reads it.</summary>
    internal static async Task CreateDatabaseAsync(string file, RagflowRows rows)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), connectionString, Ct);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(Ct);
        await RagflowSql.InsertAsync(connection, rows, Ct);
    }
}
