using System.Data.Common;

namespace RedisFlow.SampleData;

/// <summary>
/// Inserts <see cref="RagflowRows"/> over any ADO.NET connection with <c>@name</c> parameters (SQLite, MySqlConnector
/// and Npgsql all accept them). Fills every column RAGFlow declares NOT NULL without a default.
/// </summary>
public static class RagflowSql
{
    /// <summary>Inserts all rows in one transaction.</summary>
    public static async Task InsertAsync(DbConnection connection, RagflowRows rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var now = DateTimeOffset.UtcNow;
        var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            foreach (var d in rows.Documents)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO document (id, kb_id, parser_id, parser_config, source_type, type, created_by, name, location, size,
                        token_num, chunk_num, progress, progress_msg, process_duration, meta_fields, suffix, run, status,
                        create_time, create_date, update_time, update_date)
                    VALUES (@id, @kb_id, 'naive', '{}', 'local', @type, 'tester', @name, @location, 0,
                        0, 0, 0, '', 0, '{}', @suffix, @run, @status, @now_ms, @now, @now_ms, @now)
                    """, ct, ("id", d.Id), ("kb_id", d.KbId), ("type", d.Type), ("name", d.Name), ("location", d.Location),
                    ("suffix", Path.GetExtension(d.Location).TrimStart('.')), ("run", d.Run), ("status", d.Status),
                    ("now_ms", now.ToUnixTimeMilliseconds()), ("now", now.UtcDateTime)).ConfigureAwait(false);
            }

            foreach (var t in rows.Tasks)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO task (id, doc_id, from_page, to_page, task_type, priority, process_duration, progress, progress_msg,
                        retry_count, digest, chunk_ids, create_time, create_date, update_time, update_date)
                    VALUES (@id, @doc_id, 0, 100000000, '', 0, 0, @progress, '', 0, '', '', @create_time, @create_date, @create_time, @create_date)
                    """, ct, ("id", t.Id), ("doc_id", t.DocId), ("progress", t.Progress), ("create_time", t.CreateTime),
                    ("create_date", DateTimeOffset.FromUnixTimeMilliseconds(t.CreateTime).UtcDateTime)).ConfigureAwait(false);
            }

            foreach (var f in rows.Files)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO file (id, parent_id, tenant_id, created_by, name, location, size, type, source_type,
                        create_time, create_date, update_time, update_date)
                    VALUES (@id, @parent_id, 'tenant', 'tester', @name, @location, 0, @type, '', @now_ms, @now, @now_ms, @now)
                    """, ct, ("id", f.Id), ("parent_id", f.ParentId), ("name", f.Name), ("location", f.Location), ("type", f.Type),
                    ("now_ms", now.ToUnixTimeMilliseconds()), ("now", now.UtcDateTime)).ConfigureAwait(false);
            }

            foreach (var l in rows.FileLinks)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO file2document (id, file_id, document_id, create_time, create_date, update_time, update_date)
                    VALUES (@id, @file_id, @document_id, @now_ms, @now, @now_ms, @now)
                    """, ct, ("id", l.Id), ("file_id", l.FileId), ("document_id", l.DocumentId),
                    ("now_ms", now.ToUnixTimeMilliseconds()), ("now", now.UtcDateTime)).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }
}
