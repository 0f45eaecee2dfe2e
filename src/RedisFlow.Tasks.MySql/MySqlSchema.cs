namespace RedisFlow.Tasks.MySql;

/// <summary>
/// Creates RAGFlow's tables <c>document</c>, <c>task</c>, <c>file</c> and <c>file2document</c> in MySQL/MariaDB with
/// RAGFlow's column names and the types peewee gives them there (<c>api/db/db_models.py</c>: CharField → VARCHAR,
/// BigIntegerField → BIGINT, FloatField → FLOAT, DateTimeField → DATETIME, TextField → TEXT, JSON and long text →
/// LONGTEXT), <c>meta_fields</c> (a column of RAGFlow releases that the sample-data writer fills), the base model's four timestamp columns and peewee's <c>&lt;table&gt;_&lt;column&gt;</c> indexes for
/// the columns the ongoing-documents query reads. Tables that exist are left as they are, so running it against a
/// real RAGFlow database changes nothing. MySQL has no <c>CREATE INDEX IF NOT EXISTS</c>, hence indexes inline.
/// </summary>
public static class MySqlSchema
{
    /// <summary>The DDL, one <c>CREATE TABLE IF NOT EXISTS</c> per table.</summary>
    public const string Ddl = """
        CREATE TABLE IF NOT EXISTS document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            thumbnail TEXT NULL,
            kb_id VARCHAR(256) NOT NULL,
            parser_id VARCHAR(32) NOT NULL,
            pipeline_id VARCHAR(32) NULL,
            parser_config LONGTEXT NOT NULL,
            source_type VARCHAR(128) NOT NULL DEFAULT 'local',
            type VARCHAR(32) NOT NULL,
            created_by VARCHAR(32) NOT NULL,
            name VARCHAR(255) NULL,
            location VARCHAR(255) NULL,
            size BIGINT NOT NULL DEFAULT 0,
            token_num INTEGER NOT NULL DEFAULT 0,
            chunk_num INTEGER NOT NULL DEFAULT 0,
            progress FLOAT NOT NULL DEFAULT 0,
            progress_msg TEXT NULL,
            process_begin_at DATETIME NULL,
            process_duration FLOAT NOT NULL DEFAULT 0,
            meta_fields LONGTEXT NULL,
            suffix VARCHAR(32) NOT NULL,
            content_hash VARCHAR(32) NULL,
            run VARCHAR(1) NULL DEFAULT '0',
            status VARCHAR(1) NULL DEFAULT '1',
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL,
            INDEX document_kb_id (kb_id),
            INDEX document_type (type),
            INDEX document_location (location),
            INDEX document_run (run),
            INDEX document_status (status),
            INDEX document_create_time (create_time)
        ) DEFAULT CHARSET = utf8mb4;
        CREATE TABLE IF NOT EXISTS task (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            doc_id VARCHAR(32) NOT NULL,
            from_page INTEGER NOT NULL DEFAULT 0,
            to_page INTEGER NOT NULL DEFAULT 100000000,
            task_type VARCHAR(32) NOT NULL DEFAULT '',
            priority INTEGER NOT NULL DEFAULT 0,
            begin_at DATETIME NULL,
            process_duration FLOAT NOT NULL DEFAULT 0,
            progress FLOAT NOT NULL DEFAULT 0,
            progress_msg TEXT NULL,
            retry_count INTEGER NOT NULL DEFAULT 0,
            digest TEXT NULL,
            chunk_ids LONGTEXT NULL,
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL,
            INDEX task_doc_id (doc_id),
            INDEX task_progress (progress),
            INDEX task_create_time (create_time)
        ) DEFAULT CHARSET = utf8mb4;
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
            update_date DATETIME NULL,
            INDEX file_parent_id (parent_id),
            INDEX file_name (name),
            INDEX file_create_time (create_time)
        ) DEFAULT CHARSET = utf8mb4;
        CREATE TABLE IF NOT EXISTS file2document (
            id VARCHAR(32) NOT NULL PRIMARY KEY,
            file_id VARCHAR(32) NULL,
            document_id VARCHAR(32) NULL,
            create_time BIGINT NULL,
            create_date DATETIME NULL,
            update_time BIGINT NULL,
            update_date DATETIME NULL,
            INDEX file2document_file_id (file_id),
            INDEX file2document_document_id (document_id)
        ) DEFAULT CHARSET = utf8mb4;
        """;

    /// <summary>The tables created, in creation order.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["document", "task", "file", "file2document"];

    /// <summary>Creates the tables that do not exist yet in the database of <paramref name="connectionString"/>.</summary>
    /// <exception cref="CacheServer.Tasks.TaskSourceUnavailableException">The server is unreachable, refuses the credentials or lacks the database.</exception>
    public static async Task CreateAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var target = MySqlConnectionErrors.Describe(connectionString);
        var connection = await MySqlConnectionErrors.OpenAsync(connectionString, target, ct).ConfigureAwait(false);
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
