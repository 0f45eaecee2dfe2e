using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using RedisFlow.CacheServer.Tasks;

namespace RedisFlow.Tasks.MySql;

/// <summary>Opens connections and turns MySqlConnector's failures into errors that say what to fix, without secrets.</summary>
internal static class MySqlConnectionErrors
{
    /// <summary>"127.0.0.1:3306, database 'rag_flow', user 'root'" for a connection string.</summary>
    public static string Describe(string connectionString)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // MySqlConnector names the bad option, never the whole string; the string may hold a password, so it is not echoed.
            throw new ArgumentException($"The MySQL connection string is not valid: {ex.Message}", nameof(connectionString), ex);
        }

        var server = string.IsNullOrEmpty(builder.Server) ? "localhost" : builder.Server;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{server}:{builder.Port}, database '{builder.Database}', user '{builder.UserID}'");
    }

    /// <summary>Opens a pooled connection, translating failures into <see cref="TaskSourceUnavailableException"/>.</summary>
    public static async Task<DbConnection> OpenAsync(string connectionString, string target, CancellationToken ct)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (MySqlException ex)
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

    private static TaskSourceUnavailableException Translate(MySqlException ex, string target)
    {
        var reason = ex.ErrorCode switch
        {
            MySqlErrorCode.AccessDenied or MySqlErrorCode.DatabaseAccessDenied =>
                "the server refused the credentials; check 'User ID' and 'Password' in TaskSource:ConnectionString.",
            MySqlErrorCode.UnableToConnectToHost =>
                "the server is not reachable; check 'Server' and 'Port' in TaskSource:ConnectionString and that MySQL/MariaDB is running.",
            MySqlErrorCode.UnknownDatabase =>
                "the database does not exist; check 'Database' in TaskSource:ConnectionString (RAGFlow's is 'rag_flow').",
            _ => $"{ex.Message} (MySQL error {(int)ex.ErrorCode}).",
        };
        return new TaskSourceUnavailableException(MySqlTaskSource.ProviderName, target, reason, ex);
    }
}
