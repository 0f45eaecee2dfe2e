using Microsoft.Extensions.Configuration;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.CacheServer.Providers;
using static RedisFlow.SampleData.Schema.ColumnKind;

namespace RedisFlow.SampleData.Schema;

/// <summary>
/// RAGFlow's tables <c>document</c>, <c>task</c>, <c>file</c> and <c>file2document</c>, defined once and rendered
/// per database by <see cref="SqlDialect"/>: RAGFlow's column names and peewee field types (<c>api/db/db_models.py</c>),
/// <c>meta_fields</c> (a column of RAGFlow releases that <see cref="RagflowSql"/> fills), the base model's four
/// timestamp columns and peewee's <c>&lt;table&gt;_&lt;column&gt;</c> indexes on the columns the ongoing-documents
/// query reads. Existing tables and indexes are left as they are, so creating them in a real RAGFlow database changes nothing.
/// </summary>
public static class RagflowTables
{
    /// <summary>The tables, in creation order.</summary>
    public static IReadOnlyList<Table> All { get; } =
    [
        new("document", "id",
        [
            Id(),
            new("thumbnail", Text, Nullable: true),
            Varchar("kb_id", 256),
            Varchar("parser_id", 32),
            Varchar("pipeline_id", 32, nullable: true),
            new("parser_config", LongText),
            Varchar("source_type", 128, @default: "'local'"),
            Varchar("type", 32),
            Varchar("created_by", 32),
            Varchar("name", 255, nullable: true),
            Varchar("location", 255, nullable: true),
            new("size", BigInt, Default: "0"),
            new("token_num", Integer, Default: "0"),
            new("chunk_num", Integer, Default: "0"),
            new("progress", Float, Default: "0"),
            new("progress_msg", Text, Nullable: true),
            new("process_begin_at", ColumnKind.DateTime, Nullable: true),
            new("process_duration", Float, Default: "0"),
            new("meta_fields", LongText, Nullable: true),
            Varchar("suffix", 32),
            Varchar("content_hash", 32, nullable: true),
            Varchar("run", 1, nullable: true, @default: "'0'"),
            Varchar("status", 1, nullable: true, @default: "'1'"),
            .. Timestamps(),
        ],
        ["kb_id", "type", "location", "run", "status", "create_time"]),
        new("task", "id",
        [
            Id(),
            Varchar("doc_id", 32),
            new("from_page", Integer, Default: "0"),
            new("to_page", Integer, Default: "100000000"),
            Varchar("task_type", 32, @default: "''"),
            new("priority", Integer, Default: "0"),
            new("begin_at", ColumnKind.DateTime, Nullable: true),
            new("process_duration", Float, Default: "0"),
            new("progress", Float, Default: "0"),
            new("progress_msg", Text, Nullable: true),
            new("retry_count", Integer, Default: "0"),
            new("digest", Text, Nullable: true),
            new("chunk_ids", LongText, Nullable: true),
            .. Timestamps(),
        ],
        ["doc_id", "progress", "create_time"]),
        new("file", "id",
        [
            Id(),
            Varchar("parent_id", 32),
            Varchar("tenant_id", 32),
            Varchar("created_by", 32),
            Varchar("name", 255),
            Varchar("location", 255, nullable: true),
            new("size", BigInt, Default: "0"),
            Varchar("type", 32),
            Varchar("source_type", 128, @default: "''"),
            .. Timestamps(),
        ],
        ["parent_id", "name", "create_time"]),
        new("file2document", "id",
        [
            Id(),
            Varchar("file_id", 32, nullable: true),
            Varchar("document_id", 32, nullable: true),
            .. Timestamps(),
        ],
        ["file_id", "document_id"]),
    ];

    /// <summary>The table names, in creation order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(table => table.Name)];

    /// <summary>The DDL of all tables in <paramref name="dialect"/>.</summary>
    public static string Ddl(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.Render(All);
    }

    /// <summary>
    /// Creates the tables and indexes missing in the database of a <c>TaskSource</c> section, through its provider
    /// (which opens the database with its usual errors, and makes a SQLite file's folder).
    /// </summary>
    /// <returns>Where: a file, or server, database and user; never a password.</returns>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid, or the provider has no dialect here.</exception>
    /// <exception cref="CacheServer.Tasks.TaskSourceUnavailableException">The database cannot be reached or refuses the credentials.</exception>
    public static Task<string> CreateAsync(ITaskSourceFactory factory, IConfigurationSection section, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.RunScriptAsync(section, Ddl(SqlDialect.ForProvider(factory.Provider)), ct);
    }

    /// <summary>Creates the tables and indexes missing in the database of <paramref name="connectionString"/> (see <see cref="CreateAsync(ITaskSourceFactory, IConfigurationSection, CancellationToken)"/>).</summary>
    public static Task<string> CreateAsync(ITaskSourceFactory factory, string connectionString, CancellationToken ct)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection([new($"{CacheServerServiceCollectionExtensions.TaskSourceSection}:ConnectionString", connectionString)])
            .Build()
            .GetSection(CacheServerServiceCollectionExtensions.TaskSourceSection);
        return CreateAsync(factory, section, ct);
    }

    private static Column Id() => Varchar("id", 32);

    private static Column Varchar(string name, int length, bool nullable = false, string? @default = null) =>
        new(name, ColumnKind.Varchar, length, nullable, @default);

    /// <summary>The columns of RAGFlow's <c>BaseModel</c>: epoch milliseconds and dates of creation and update.</summary>
    private static Column[] Timestamps() =>
    [
        new("create_time", BigInt, Nullable: true),
        new("create_date", ColumnKind.DateTime, Nullable: true),
        new("update_time", BigInt, Nullable: true),
        new("update_date", ColumnKind.DateTime, Nullable: true),
    ];
}
