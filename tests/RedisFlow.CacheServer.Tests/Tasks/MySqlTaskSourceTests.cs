using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.Tasks.MySql;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>The MySQL/MariaDB task source's errors and schema, against a real MariaDB server.</summary>
public sealed class MySqlTaskSourceTests(MySqlTaskDatabaseFixture databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wrong_credentials_give_a_clear_error_without_the_password()
    {
        var server = await databases.ServerAsync(Ct);
        var source = new MySqlTaskSource(server.ConnectionString("mysql", password: "wrong-secret-42"));

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Equal("mysql", error.Provider);
        Assert.DoesNotContain("wrong-secret-42", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_gives_a_clear_error()
    {
        var source = databases.CreateUnreachableTaskSource();

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("not reachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_gives_a_clear_error()
    {
        var server = await databases.ServerAsync(Ct);
        var source = new MySqlTaskSource(server.ConnectionString("no_such_database"));

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("database does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_the_schema_again_keeps_the_rows()
    {
        await using var db = await databases.CreateDatabaseAsync(Ct);
        var rows = new CacheServer.Tasks.Rows.RagflowRows();
        var kb = CacheServer.Tasks.Rows.RagflowRows.NewId();
        rows.AddDocument(kb, "kept.pdf");
        await db.InsertAsync(rows, Ct);

        await MySqlSchema.CreateAsync(db.Settings["TaskSource:ConnectionString"]!, Ct);

        Assert.Equal([new OngoingDocument(kb, "kept.pdf")], await db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public void The_factory_names_a_missing_connection_string()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TaskSource:Provider"] = "mysql" }).Build().GetSection("TaskSource");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => new MySqlTaskSourceFactory().Create(section, EmptyServices.Instance));

        Assert.Equal("TaskSource:ConnectionString", error.Setting);
    }

    [Fact]
    public void The_factory_rejects_a_malformed_connection_string_without_echoing_it()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskSource:ConnectionString"] = "Server=127.0.0.1;Password=hush-hush;Bogus Option=1",
        }).Build().GetSection("TaskSource");

        var error = Assert.Throws<RedisFlowConfigurationException>(() => new MySqlTaskSourceFactory().Create(section, EmptyServices.Instance));

        Assert.Equal("TaskSource:ConnectionString", error.Setting);
        Assert.DoesNotContain("hush-hush", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_a_mysql_source()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskSource:ConnectionString"] = "Server=db.example;Port=5455;User ID=root;Password=infini_rag_flow;Database=rag_flow",
        }).Build().GetSection("TaskSource");

        var source = Assert.IsType<MySqlTaskSource>(new MySqlTaskSourceFactory().Create(section, EmptyServices.Instance));

        Assert.Equal("mysql", source.Name);
        Assert.Equal("db.example:5455, database 'rag_flow', user 'root'", source.Target);
    }
}
