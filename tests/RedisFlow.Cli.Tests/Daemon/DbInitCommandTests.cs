using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Embedded;
using RedisFlow.Tasks.MySql;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Tasks.Sqlite;
using RedisFlow.Testing.Cache;

namespace RedisFlow.Cli.Tests.Daemon;

/// <summary><c>redisflow db init</c> on each task database: RAGFlow's tables made ready, twice in a row, no secret printed.</summary>
public sealed class DbInitCommandTests(MySqlTaskDatabaseFixture mysql, PostgreSqlTaskDatabaseFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sqlite_default_database_under_the_data_folder_gets_the_tables()
    {
        var data = Path.Combine(Path.GetTempPath(), $"redisflow-dbinit-{Guid.NewGuid():N}");
        try
        {
            await AssertInitTwiceAsync(new Dictionary<string, string?>(), ["--data", data], secret: null);
            var settings = Section(new() { ["TaskSource:ConnectionString"] = $"Data Source={Path.Combine(data, "tasks.db")}" });
            await AssertTablesQueryableAsync(new SqliteTaskSourceFactory().Create(settings, EmptyServices.Instance));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task MySql_database_gets_the_tables_and_the_password_is_never_printed()
    {
        var server = await mysql.ServerAsync(Ct);
        var name = await server.CreateDatabaseAsync(Ct);
        try
        {
            var settings = new Dictionary<string, string?> { ["TaskSource:Provider"] = "mysql", ["TaskSource:ConnectionString"] = server.ConnectionString(name) };
            await AssertInitTwiceAsync(settings, [], server.Password);
            await AssertTablesQueryableAsync(new MySqlTaskSourceFactory().Create(Section(settings), EmptyServices.Instance));
        }
        finally
        {
            await server.DropDatabaseAsync(name, Ct);
        }
    }

    [Fact]
    public async Task PostgreSql_database_gets_the_tables_and_the_password_is_never_printed()
    {
        var server = await postgres.ServerAsync(Ct);
        var name = await server.CreateDatabaseAsync(Ct);
        try
        {
            var settings = new Dictionary<string, string?> { ["TaskSource:Provider"] = "postgres", ["TaskSource:ConnectionString"] = server.ConnectionString(name) };
            await AssertInitTwiceAsync(settings, [], server.Password);
            await AssertTablesQueryableAsync(new PostgreSqlTaskSourceFactory().Create(Section(settings), EmptyServices.Instance));
        }
        finally
        {
            await server.DropDatabaseAsync(name, Ct);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_1_with_a_message_and_no_password()
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskSource:Provider"] = "mysql",
            ["TaskSource:ConnectionString"] = $"Server=127.0.0.1;Port={FreePort.Next()};User ID=u;Password=never-shown-Pa55;Database=rag_flow;Connection Timeout=2",
        };
        await using var init = CliRunner.Launch(settings, "db", "init");
        Assert.Equal(1, await init.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains("error:", init.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", init.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("never-shown-Pa55", init.Output + init.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TaskSource:Provider", "oracle", "TaskSource:Provider")]
    [InlineData("TaskSource:Provider", "postgres", "TaskSource:ConnectionString")]
    public async Task Bad_configuration_exits_2_naming_the_setting(string setting, string value, string named)
    {
        await using var init = CliRunner.Launch(new Dictionary<string, string?> { [setting] = value }, "db", "init");
        Assert.Equal(2, await init.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Contains($"'{named}'", init.Error, StringComparison.Ordinal);
    }

    private static async Task AssertInitTwiceAsync(Dictionary<string, string?> settings, string[] extra, string? secret)
    {
        for (var run = 1; run <= 2; run++)
        {
            await using var init = CliRunner.Launch(settings, ["db", "init", .. extra]);
            var exit = await init.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.True(exit == 0, $"run {run}: exit {exit}: {init.Output}{init.Error}");
            Assert.Contains("tables document, task, file, file2document are ready in", init.Output, StringComparison.Ordinal);
            if (secret is not null)
            {
                Assert.DoesNotContain(secret, init.Output + init.Error, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>RAGFlow's ongoing-documents query joins all four tables: it runs only when they all exist.</summary>
    private static async Task AssertTablesQueryableAsync(ITaskSource source) =>
        Assert.Empty(await source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("TaskSource");
}
