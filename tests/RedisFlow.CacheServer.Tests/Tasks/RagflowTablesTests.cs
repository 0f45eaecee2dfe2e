using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RedisFlow.SampleData.Schema;
using RedisFlow.Tasks.MySql;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.CacheServer.Tests.Tasks;

/// <summary>RAGFlow's tables, defined once: each database's DDL carries the same tables, columns and indexes.</summary>
public sealed partial class RagflowTablesTests
{
    private static readonly string[] Indexes =
    [
        "document_kb_id", "document_type", "document_location", "document_run", "document_status", "document_create_time",
        "task_doc_id", "task_progress", "task_create_time",
        "file_parent_id", "file_name", "file_create_time",
        "file2document_file_id", "file2document_document_id",
    ];

    [Theory]
    [InlineData("MySql")]
    [InlineData("PostgreSql")]
    [InlineData("Sqlite")]
    public void Every_dialect_creates_every_table_and_index(string name)
    {
        var ddl = RagflowTables.Ddl(DialectNamed(name));

        Assert.Equal(["document", "task", "file", "file2document"], TableNames().Matches(ddl).Select(m => m.Groups[1].Value));
        Assert.Equal(Indexes, IndexNames().Matches(ddl).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void Each_dialect_names_the_types_its_database_uses()
    {
        var mysql = RagflowTables.Ddl(SqlDialect.MySql);
        var postgres = RagflowTables.Ddl(SqlDialect.PostgreSql);
        var sqlite = RagflowTables.Ddl(SqlDialect.Sqlite);

        Assert.Contains("parser_config LONGTEXT NOT NULL,", mysql, StringComparison.Ordinal);
        Assert.Contains("progress FLOAT NOT NULL DEFAULT 0,", mysql, StringComparison.Ordinal);
        Assert.Contains("INDEX task_doc_id (doc_id)", mysql, StringComparison.Ordinal);
        Assert.Contains(") DEFAULT CHARSET = utf8mb4;", mysql, StringComparison.Ordinal);
        Assert.Contains("process_begin_at TIMESTAMP NULL,", postgres, StringComparison.Ordinal);
        Assert.Contains("progress REAL NOT NULL DEFAULT 0,", postgres, StringComparison.Ordinal);
        Assert.Contains("process_begin_at DATETIME NULL,", sqlite, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX IF NOT EXISTS task_doc_id ON task (doc_id);", sqlite, StringComparison.Ordinal);
        Assert.All([mysql, postgres, sqlite], ddl => Assert.Contains("id VARCHAR(32) NOT NULL PRIMARY KEY,", ddl, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sqlite_database_gets_every_index_and_keeps_them_when_created_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), $"redisflow-tables-{Guid.NewGuid():N}");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "tasks.db"), Pooling = false }.ToString();
        try
        {
            await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), connectionString, ct);
            await RagflowTables.CreateAsync(new SqliteTaskSourceFactory(), connectionString, ct);

            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid";
            var found = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    found.Add(reader.GetString(0));
                }
            }

            Assert.Equal(Indexes, found);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Each_provider_has_its_dialect_and_others_name_the_setting()
    {
        Assert.Same(SqlDialect.Sqlite, SqlDialect.ForProvider(new SqliteTaskSourceFactory().Provider));
        Assert.Same(SqlDialect.MySql, SqlDialect.ForProvider(new MySqlTaskSourceFactory().Provider));
        Assert.Same(SqlDialect.PostgreSql, SqlDialect.ForProvider(new PostgreSqlTaskSourceFactory().Provider));

        var error = Assert.Throws<RedisFlowConfigurationException>(() => SqlDialect.ForProvider("oracle"));
        Assert.Equal("TaskSource:Provider", error.Setting);
    }

    private static SqlDialect DialectNamed(string name) => name switch
    {
        "MySql" => SqlDialect.MySql,
        "PostgreSql" => SqlDialect.PostgreSql,
        _ => SqlDialect.Sqlite,
    };

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS (\w+) \(")]
    private static partial Regex TableNames();

    [GeneratedRegex(@"INDEX (?:IF NOT EXISTS )?(\w+)")]
    private static partial Regex IndexNames();
}
