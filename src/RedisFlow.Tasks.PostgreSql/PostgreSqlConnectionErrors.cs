using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.PostgreSql;

/// <summary>Opens connections and turns Npgsql's failures into errors that say what to fix, without secrets.</summary>
internal static class PostgreSqlConnectionErrors
{
    /// <summary>"127.0.0.1:5432, database 'rag_flow', user 'rag_flow'" for a connection string.</summary>
    public static string Describe(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // Npgsql names the bad keyword, never the whole string; the string may hold a password, so it is not echoed.
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {ex.Message}", nameof(connectionString), ex);
        }

        var host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}'");
    }

    /// <summary>Opens a pooled connection, translating failures into <see cref="TaskSourceUnavailableException"/>.</summary>
    public static async Task<DbConnection> OpenAsync(string connectionString, string target, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, target);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static TaskSourceUnavailableException Translate(Exception ex, string target)
    {
        var reason = ex switch
        {
            // 28P01 invalid_password, 28000 invalid_authorization_specification (no pg_hba.conf entry, unknown role).
            PostgresException { SqlState: "28P01" or "28000" } =>
                "the server refused the credentials; check 'Username' and 'Password' in TaskSource:ConnectionString.",
            PostgresException { SqlState: "3D000" } =>
                "the database does not exist; check 'Database' in TaskSource:ConnectionString (RAGFlow's is 'rag_flow').",
            PostgresException pg => string.Create(CultureInfo.InvariantCulture, $"{pg.MessageText} (SQLSTATE {pg.SqlState})."),
            { InnerException: SocketException } or TimeoutException or NpgsqlException { InnerException: TimeoutException } =>
                "the server is not reachable; check 'Host' and 'Port' in TaskSource:ConnectionString and that PostgreSQL is running.",
            _ => ex.Message,
        };
        return new TaskSourceUnavailableException(PostgreSqlTaskSource.ProviderName, target, reason, ex);
    }
}
