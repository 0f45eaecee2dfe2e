using Microsoft.Data.Sqlite;

namespace RedisFlow.Tasks.Sqlite;

/// <summary>
/// Creates RAGFlow's tables <c>document</c>, <c>task</c>, <c>file</c> and <c>file2document</c> in SQLite, with
/// RAGFlow's column names and types (<c>api/db/db_models.py</c>; peewee's CharField → VARCHAR, BigIntegerField →
/// BIGINT, FloatField → REAL, DateTimeField → DATETIME), the four timestamp columns of its base model, and the
/// indexes the ongoing-documents query uses. Idempotent.
/// </summary>
public static class SqliteSchema
{
    /// <summary>The DDL, one statement per table or index.</summary>
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            thumbnail TEXT NULL,
            kb_id VARCHAR(256) NOT NULL,
            parser_id VARCHAR(32) NOT NULL DEFAULT '',
            pipeline_id VARCHAR(32) NULL,
            parser_config TEXT NOT NULL DEFAULT '{}',
            source_type VARCHAR(128) NOT NULL DEFAULT 'local',
            type VARCHAR(32) NOT NULL,
            created_by VARCHAR(32) NOT NULL DEFAULT '',
            name VARCHAR(255) NULL,
            location VARCHAR(255) NULL,
            size BIGINT NOT NULL DEFAULT 0,
            token_num INTEGER NOT NULL DEFAULT 0,
            chunk_num INTEGER NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,
            progress_msg TEXT NULL DEFAULT '',
            process_begin_at DATETIME NULL,
            process_duration REAL NOT NULL DEFAULT 0,
            meta_fields TEXT NULL DEFAULT '{}',
            suffix VARCHAR(32) NOT NULL DEFAULT '',
            content_hash VARCHAR(32) NULL,
            run VARCHAR(1) NULL DEFAULT '0',
            status VARCHAR(1) NULL DEFAULT '1',
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL
        );
        CREATE INDEX IF NOT EXISTS document_kb_id ON document (kb_id);
        CREATE INDEX IF NOT EXISTS document_status ON document (status);
        CREATE INDEX IF NOT EXISTS document_run ON document (run);
        CREATE TABLE IF NOT EXISTS task (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            doc_id VARCHAR(32) NOT NULL,
            from_page INTEGER NOT NULL DEFAULT 0,
            to_page INTEGER NOT NULL DEFAULT 100000000,
            task_type VARCHAR(32) NOT NULL DEFAULT '',
            priority INTEGER NOT NULL DEFAULT 0,
            begin_at DATETIME NULL,
            process_duration REAL NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,
            progress_msg TEXT NULL DEFAULT '',
            retry_count INTEGER NOT NULL DEFAULT 0,
            digest TEXT NULL DEFAULT '',
            chunk_ids TEXT NULL DEFAULT '',
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL
        );
        CREATE INDEX IF NOT EXISTS task_doc_id ON task (doc_id);
        CREATE INDEX IF NOT EXISTS task_create_time ON task (create_time);
        CREATE TABLE IF NOT EXISTS file (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            parent_id VARCHAR(32) NOT NULL,
            tenant_id VARCHAR(32) NOT NULL,
            created_by VARCHAR(32) NOT NULL,
            name VARCHAR(255) NOT NULL,
            location VARCHAR(255) NULL,
            size BIGINT NOT NULL DEFAULT 0,
            type VARCHAR(32) NOT NULL,
            source_type VARCHAR(128) NOT NULL DEFAULT '',
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL
        );
        CREATE INDEX IF NOT EXISTS file_parent_id ON file (parent_id);
        CREATE TABLE IF NOT EXISTS file2document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            file_id VARCHAR(32) NULL,
            document_id VARCHAR(32) NULL,
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL
        );
        CREATE INDEX IF NOT EXISTS file2document_file_id ON file2document (file_id);
        CREATE INDEX IF NOT EXISTS file2document_document_id ON file2document (document_id);
        """;

    /// <summary>The tables created, in creation order.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["document", "task", "file", "file2document"];

    /// <summary>
    /// Creates the tables and indexes that do not exist yet in the database of <paramref name="connectionString"/>
    /// (and the file's folder, when missing).
    /// </summary>
    public static async Task CreateAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        var connection = new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Ddl;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
