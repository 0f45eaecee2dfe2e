using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>The PostgreSQL task source's errors, schema and factory, against a real PostgreSQL server.</summary>
public sealed class PostgreSqlTaskSourceTests(PostgreSqlTaskDatabaseFixture databases) : SqlTaskSourceProviderTests<PostgreSqlTaskDatabaseFixture>(databases)
{
    protected override string Provider => "postgres";

    protected override ITaskSourceFactory Factory { get; } = new PostgreSqlTaskSourceFactory();

    protected override string MalformedConnectionString => "Host=127.0.0.1;Password=hush-hush;Bogus Option=1";

    protected override (string ConnectionString, string Target) Sample =>
        ("Host=db.example;Port=5432;Username=rag_flow;Password=infini_rag_flow;Database=rag_flow", "db.example:5432, database 'rag_flow', user 'rag_flow'");

    protected override async Task<(ITaskSource Source, int Port, string ServerPassword)> SourceWithPasswordAsync(string password)
    {
        var server = await Databases.ServerAsync(Ct);
        return (new PostgreSqlTaskSource(server.ConnectionString("postgres", password: password)), server.Port, server.Password);
    }

    protected override async Task<ITaskSource> SourceForDatabaseAsync(string database) =>
        new PostgreSqlTaskSource((await Databases.ServerAsync(Ct)).ConnectionString(database));

    protected override Task CreateSchemaAsync(string connectionString) => RagflowTables.CreateAsync(Factory, connectionString, Ct);

    protected override string TargetOf(ITaskSource source) => Assert.IsType<PostgreSqlTaskSource>(source).Target;
}
