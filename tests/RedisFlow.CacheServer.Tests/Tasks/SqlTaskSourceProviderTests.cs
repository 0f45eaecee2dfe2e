using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>
/// A server-backed task source's errors, schema and factory, written once and run per provider against its real
/// server (one-line subclasses below).
/// </summary>
public abstract class SqlTaskSourceProviderTests<TFixture>(TFixture databases)
    where TFixture : ITaskDatabaseFixture
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TFixture Databases { get; } = databases;

    /// <summary>The provider name, as in <c>TaskSource:Provider</c>.</summary>
    protected abstract string Provider { get; }

    protected abstract ITaskSourceFactory Factory { get; }

    /// <summary>A connection string that the provider's parser rejects, holding the password <c>hush-hush</c>.</summary>
    protected abstract string MalformedConnectionString { get; }

    /// <summary>A valid connection string to a server that is never contacted, and how the source describes it.</summary>
    protected abstract (string ConnectionString, string Target) Sample { get; }

    /// <summary>A source on the test server with the given password, the server's port and its real password.</summary>
    protected abstract Task<(ITaskSource Source, int Port, string ServerPassword)> SourceWithPasswordAsync(string password);

    protected abstract Task<ITaskSource> SourceForDatabaseAsync(string database);

    protected abstract Task CreateSchemaAsync(string connectionString);

    protected abstract string TargetOf(ITaskSource source);

    [Fact]
    public async Task Wrong_credentials_give_a_clear_error_without_the_password()
    {
        var (source, port, serverPassword) = await SourceWithPasswordAsync("wrong-secret-42");

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Equal(Provider, error.Provider);
        Assert.DoesNotContain("wrong-secret-42", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(serverPassword, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_gives_a_clear_error()
    {
        var source = Databases.CreateUnreachableTaskSource();

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("not reachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_gives_a_clear_error()
    {
        var source = await SourceForDatabaseAsync("no_such_database");

        var error = await Assert.ThrowsAsync<TaskSourceUnavailableException>(() => source.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));

        Assert.Contains("database does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_the_schema_again_keeps_the_rows()
    {
        await using var db = await Databases.CreateDatabaseAsync(Ct);
        var rows = new RagflowRows();
        var kb = RagflowRows.NewId();
        rows.AddDocument(kb, "kept.pdf");
        await db.InsertAsync(rows, Ct);

        await CreateSchemaAsync(db.Settings["TaskSource:ConnectionString"]!);

        Assert.Equal([new OngoingDocument(kb, "kept.pdf")], await db.TaskSource.GetOngoingDocumentsAsync(DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public void The_factory_names_a_missing_connection_string()
    {
        var error = Assert.Throws<RedisFlowConfigurationException>(() => Factory.Create(Section(("Provider", Provider)), EmptyServices.Instance));

        Assert.Equal("TaskSource:ConnectionString", error.Setting);
    }

    [Fact]
    public void The_factory_rejects_a_malformed_connection_string_without_echoing_it()
    {
        var error = Assert.Throws<RedisFlowConfigurationException>(() =>
            Factory.Create(Section(("ConnectionString", MalformedConnectionString)), EmptyServices.Instance));

        Assert.Equal("TaskSource:ConnectionString", error.Setting);
        Assert.DoesNotContain("hush-hush", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_the_provider_source()
    {
        var source = Factory.Create(Section(("ConnectionString", Sample.ConnectionString)), EmptyServices.Instance);

        Assert.Equal(Provider, source.Name);
        Assert.Equal(Sample.Target, TargetOf(source));
    }

    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"TaskSource:{v.Key}", v.Value)))
            .Build()
            .GetSection("TaskSource");
}
