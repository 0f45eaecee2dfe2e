using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using RedisFlow.Embedded;
using RedisFlow.SampleData;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Cache;
using StackExchange.Redis;

namespace RedisFlow.Cli.Tests;

/// <summary>
/// Issue 15 item 4: <c>redisflow serve --ragflow-conf</c> on a <c>service_conf.yaml</c> in the docker template's form
/// (MariaDB, an S3 emulator standing in for MinIO, Redis with a password), configured by RAGFlow's own environment
/// variables only, caches the ongoing documents.
/// </summary>
public sealed class RagflowConfServeTests
{
    private static readonly string RedisPassword = TestSecrets.NewPassword("ragflow-conf-redis-password");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_with_ragflows_service_conf_caches_the_ongoing_documents()
    {
        await using var databases = new MySqlTaskDatabaseFixture();
        await using var stores = new S3FileStorageFixture();
        await using var redis = await RedisServerProcess.StartAsync(["--requirepass", RedisPassword], Ct);
        var database = await databases.CreateDatabaseAsync(Ct);
        await using var _ = database;
        var server = await databases.ServerAsync(Ct);
        var emulator = await stores.EmulatorAsync(Ct);

        // Two files of a running task in RAGFlow's MinIO layout (bucket = knowledge base id, key = location).
        var kb = RagflowRows.NewId();
        var contents = new Dictionary<string, byte[]>
        {
            ["report.pdf"] = Encoding.UTF8.GetBytes("cached through service_conf.yaml"),
            ["scan.png"] = RandomBytes(300 * 1024),
        };
        using (var admin = S3FileStorageFixture.AdminClient(emulator))
        {
            await S3FileStorageFixture.EnsureBucketAsync(admin, kb, Ct);
            foreach (var (location, bytes) in contents)
            {
                using var stream = new MemoryStream(bytes);
                await S3FileStorageFixture.PutAsync(admin, kb, location, stream, Ct);
            }
        }

        var rows = new RagflowRows();
        foreach (var location in contents.Keys)
        {
            rows.AddDocument(kb, location);
        }

        await database.InsertAsync(rows, Ct);

        var folder = Directory.CreateTempSubdirectory("redisflow-ragflow-conf-").FullName;
        var conf = Path.Combine(folder, "service_conf.yaml");
        await File.WriteAllTextAsync(conf, TemplateFor(emulator.Port, redis.Port), Ct);
        var databaseName = new DbConnectionStringBuilder { ConnectionString = database.Settings["TaskSource:ConnectionString"] }["database"].ToString()!;

        // Only RAGFlow's variables: nothing in RedisFlow's own sections.
        var environment = new Dictionary<string, string>
        {
            ["MYSQL_HOST"] = "127.0.0.1",
            ["MYSQL_PORT"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["MYSQL_USER"] = Testing.Servers.MariaDbServer.User,
            ["MYSQL_PASSWORD"] = server.Password,
            ["MYSQL_DBNAME"] = databaseName,
            ["MINIO_HOST"] = "127.0.0.1",
            ["MINIO_USER"] = Testing.Servers.S3rverEmulator.AccessKey,
            ["MINIO_PASSWORD"] = Testing.Servers.S3rverEmulator.SecretKey,
            ["REDIS_HOST"] = "127.0.0.1",
            ["REDIS_PASSWORD"] = RedisPassword,
            ["Cache__PollInterval"] = "00:00:00.100",
        };

        var shown = await CliRunner.RunAsync(environment, "config", "show", "--ragflow-conf", conf);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("TaskSource:Provider", shown.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(RedisPassword, shown.Stdout + shown.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, shown.Stdout + shown.Stderr, StringComparison.Ordinal);

        var output = new StringBuilder();
        using var process = CliRunner.Start(environment, false, "serve", "--ragflow-conf", conf);
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync($"{redis.Endpoint},password={RedisPassword}");
            var db = connection.GetDatabase(1);
            foreach (var (location, bytes) in contents)
            {
                var cached = await WaitForKeyAsync(db, $"{kb}/{location}", process, output);
                Assert.Equal(bytes, cached);
            }
        }
        finally
        {
            await CliRunner.SignalAsync(process, "TERM");
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(RedisPassword, output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The docker template's sections, with the ports the test servers listen on in place of 9000 and 6379.</summary>
    private static string TemplateFor(int minioPort, int redisPort) => $$"""
        mysql:
          name: '${MYSQL_DBNAME:-rag_flow}'
          user: '${MYSQL_USER:-root}'
          password: '${MYSQL_PASSWORD:-infini_rag_flow}'
          host: '${MYSQL_HOST:-mysql}'
          port: ${MYSQL_PORT:-3306}
          max_connections: 900
        minio:
          user: '${MINIO_USER:-rag_flow}'
          password: '${MINIO_PASSWORD:-infini_rag_flow}'
          host: '${MINIO_HOST:-minio}:{{minioPort}}'
          bucket: '${MINIO_BUCKET:-}'
          prefix_path: '${MINIO_PREFIX_PATH:-}'
        redis:
          db: 1
          username: '${REDIS_USERNAME:-}'
          password: '${REDIS_PASSWORD:-infini_rag_flow}'
          host: '${REDIS_HOST:-redis}:{{redisPort}}'
        """;

    private static async Task<byte[]> WaitForKeyAsync(IDatabase db, string key, Process process, StringBuilder output)
    {
        var deadline = Stopwatch.StartNew();
        for (var i = 0; i < 1200 && deadline.Elapsed < TimeSpan.FromSeconds(60); i++)
        {
            var value = await db.StringGetAsync(key);
            if (value.HasValue)
            {
                return (byte[])value!;
            }

            Assert.False(process.HasExited, $"serve exited early:\n{output}");
            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"{key} was not cached within 60 s; serve said:\n{output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
