using RedisFlow.CacheServer.Providers;
using RedisFlow.CacheServer.Tasks;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.MySql;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>The MySQL/MariaDB task source's errors, schema and factory, against a real MariaDB server.</summary>
public sealed class MySqlTaskSourceTests(MySqlTaskDatabaseFixture databases) : SqlTaskSourceProviderTests<MySqlTaskDatabaseFixture>(databases)
{
    protected override string Provider => "mysql";

    protected override ITaskSourceFactory Factory { get; } = new MySqlTaskSourceFactory();

    protected override string MalformedConnectionString => "Server=127.0.0.1;Password=hush-hush;Bogus Option=1";

    protected override (string ConnectionString, string Target) Sample =>
        ("Server=db.example;Port=5455;User ID=root;Password=infini_rag_flow;Database=rag_flow", "db.example:5455, database 'rag_flow', user 'root'");

    protected override async Task<(ITaskSource Source, int Port, string ServerPassword)> SourceWithPasswordAsync(string password)
    {
        var server = await Databases.ServerAsync(Ct);
        return (new MySqlTaskSource(server.ConnectionString("mysql", password: password)), server.Port, server.Password);
    }

    protected override async Task<ITaskSource> SourceForDatabaseAsync(string database) =>
        new MySqlTaskSource((await Databases.ServerAsync(Ct)).ConnectionString(database));

    protected override Task CreateSchemaAsync(string connectionString) => RagflowTables.CreateAsync(Factory, connectionString, Ct);

    protected override string TargetOf(ITaskSource source) => Assert.IsType<MySqlTaskSource>(source).Target;
}
