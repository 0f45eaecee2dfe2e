namespace RedisFlow.Tasks.PostgreSql;

/// <summary>
/// Creates RAGFlow's tables <c>document</c>, <c>task</c>, <c>file</c> and <c>file2document</c> in PostgreSQL with
/// RAGFlow's column names and the types peewee gives them there (<c>api/db/db_models.py</c>: CharField → VARCHAR,
/// BigIntegerField → BIGINT, FloatField → REAL, DateTimeField → TIMESTAMP, TextField and JSON → TEXT), <c>meta_fields</c> (a column of
/// RAGFlow releases that the sample-data writer fills), the base model's four timestamp columns and peewee's <c>&lt;table&gt;_&lt;column&gt;</c> indexes for the columns the
/// ongoing-documents query reads. Tables and indexes that exist are left as they are.
/// </summary>
public static class PostgreSqlSchema
{
    /// <summary>The DDL, idempotent statements.</summary>
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            thumbnail TEXT NULL,
            kb_id VARCHAR(256) NOT NULL,
            parser_id VARCHAR(32) NOT NULL,
            pipeline_id VARCHAR(32) NULL,
            parser_config TEXT NOT NULL,
            source_type VARCHAR(128) NOT NULL DEFAULT 'local',
            type VARCHAR(32) NOT NULL,
            created_by VARCHAR(32) NOT NULL,
            name VARCHAR(255) NULL,
            location VARCHAR(255) NULL,
            size BIGINT NOT NULL DEFAULT 0,
            token_num INTEGER NOT NULL DEFAULT 0,
            chunk_num INTEGER NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,
            progress_msg TEXT NULL,
            process_begin_at TIMESTAMP NULL,
            process_duration REAL NOT NULL DEFAULT 0,
            meta_fields TEXT NULL,
            suffix VARCHAR(32) NOT NULL,
            content_hash VARCHAR(32) NULL,
            run VARCHAR(1) NULL DEFAULT '0',
            status VARCHAR(1) NULL DEFAULT '1',
            create_time BIGINT NULL,
            create_date TIMESTAMP NULL,
            update_time BIGINT NULL,
            update_date TIMESTAMP NULL
        );
        CREATE INDEX IF NOT EXISTS document_kb_id ON document (kb_id);
        CREATE INDEX IF NOT EXISTS document_type ON document (type);
        CREATE INDEX IF NOT EXISTS document_location ON document (location);
        CREATE INDEX IF NOT EXISTS document_run ON document (run);
        CREATE INDEX IF NOT EXISTS document_status ON document (status);
        CREATE INDEX IF NOT EXISTS document_create_time ON document (create_time);
        CREATE TABLE IF NOT EXISTS task (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            doc_id VARCHAR(32) NOT NULL,
            from_page INTEGER NOT NULL DEFAULT 0,
            to_page INTEGER NOT NULL DEFAULT 100000000,
            task_type VARCHAR(32) NOT NULL DEFAULT '',
            priority INTEGER NOT NULL DEFAULT 0,
            begin_at TIMESTAMP NULL,
            process_duration REAL NOT NULL DEFAULT 0,
            progress REAL NOT NULL DEFAULT 0,
            progress_msg TEXT NULL,
            retry_count INTEGER NOT NULL DEFAULT 0,
            digest TEXT NULL,
            chunk_ids TEXT NULL,
            create_time BIGINT NULL,
            create_date TIMESTAMP NULL,
            update_time BIGINT NULL,
            update_date TIMESTAMP NULL
        );
        CREATE INDEX IF NOT EXISTS task_doc_id ON task (doc_id);
        CREATE INDEX IF NOT EXISTS task_progress ON task (progress);
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
            create_date TIMESTAMP NULL,
            update_time BIGINT NULL,
            update_date TIMESTAMP NULL
        );
        CREATE INDEX IF NOT EXISTS file_parent_id ON file (parent_id);
        CREATE INDEX IF NOT EXISTS file_name ON file (name);
        CREATE INDEX IF NOT EXISTS file_create_time ON file (create_time);
        CREATE TABLE IF NOT EXISTS file2document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            file_id VARCHAR(32) NULL,
            document_id VARCHAR(32) NULL,
            create_time BIGINT NULL,
            create_date TIMESTAMP NULL,
            update_time BIGINT NULL,
            update_date TIMESTAMP NULL
        );
        CREATE INDEX IF NOT EXISTS file2document_file_id ON file2document (file_id);
        CREATE INDEX IF NOT EXISTS file2document_document_id ON file2document (document_id);
        """;

    /// <summary>The tables created, in creation order.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["document", "task", "file", "file2document"];

    /// <summary>Creates the tables and indexes that do not exist yet in the database of <paramref name="connectionString"/>.</summary>
    /// <exception cref="CacheServer.Tasks.TaskSourceUnavailableException">The server is unreachable, refuses the credentials or lacks the database.</exception>
    public static async Task CreateAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = PostgreSqlConnectionErrors.Describe(connectionString);
        var connection = await PostgreSqlConnectionErrors.OpenAsync(connectionString, target, ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = connection.CreateCommand();
            await using (command.ConfigureAwait(false))
            {
                command.CommandText = Ddl;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }
}
