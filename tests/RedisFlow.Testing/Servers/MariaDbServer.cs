using System.Globalization;
using MySqlConnector;
using RedisFlow.Embedded;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// A real MariaDB server (Debian's <c>mariadb-server</c>) on a free 127.0.0.1 port, with its data, socket and logs
/// in a temp folder. It has a password user <see cref="User"/> so tests exercise real authentication.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    /// <summary>The test user, allowed everything.</summary>
    public const string User = "redisflow";

    private readonly TempFolder _folder;
    private readonly ChildProcess _process;

    private MariaDbServer(TempFolder folder, ChildProcess process, int port, string password)
    {
        _folder = folder;
        _process = process;
        Port = port;
        Password = password;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><see cref="User"/>'s password (random per server).</summary>
    public string Password { get; }

    /// <summary>Initialises a data folder and starts <c>mariadbd</c>; ready to accept <see cref="User"/> when it returns.</summary>
    public static async Task<MariaDbServer> StartAsync(CancellationToken ct = default)
    {
        var installDb = ExternalProgram.Require("mariadb-install-db", "mariadb-server");
        var mariadbd = ExternalProgram.Find("mariadbd") ?? ExternalProgram.Require("mysqld", "mariadb-server");
        var folder = new TempFolder("redisflow-mariadb-");
        try
        {
            var data = folder.Combine("data");
            // As root, mariadbd refuses to run unless told to run as root; otherwise it runs as the current user.
            string[] asUser = Environment.IsPrivilegedProcess ? ["--user=root"] : [];
            await ChildProcess.RunToSuccessAsync(
                installDb,
                ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", .. asUser],
                TimeSpan.FromSeconds(60),
                new ChildProcessOptions { WorkingDirectory = folder.Path },
                ct: ct).ConfigureAwait(false);

            for (var attempt = 0; ; attempt++)
            {
                var port = FreePort.Next();
                var process = ChildProcess.StartServer("mariadbd", mariadbd,
                [
                    "--no-defaults", $"--datadir={data}", $"--socket={folder.Combine("mysqld.sock")}",
                    $"--port={port.ToString(CultureInfo.InvariantCulture)}", "--bind-address=127.0.0.1",
                    $"--pid-file={folder.Combine("mysqld.pid")}", "--skip-name-resolve", "--skip-log-bin",
                    "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--max-connections=500",
                    .. asUser,
                ], folder.Path);
                try
                {
                    var rootConnection = RootConnectionString(port);
                    await process.WaitUntilReadyAsync(c => CanConnectAsync(rootConnection, c), ChildProcess.ServerStartLimit, ct).ConfigureAwait(false);
                    var password = TestSecrets.NewPassword("mariadb-password");
                    await ExecuteAsync(rootConnection, $"CREATE USER '{User}'@'%' IDENTIFIED BY '{password}'; GRANT ALL PRIVILEGES ON *.* TO '{User}'@'%';", ct).ConfigureAwait(false);
                    return new MariaDbServer(folder, process, port, password);
                }
                catch (InvalidOperationException) when (attempt < 2 && process.Transcript.Contains("already in use", StringComparison.OrdinalIgnoreCase))
                {
                    // The port was taken between probing and binding: try another.
                    await process.DisposeAsync().ConfigureAwait(false);
                }
                catch
                {
                    await process.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>A connection string for <see cref="User"/> on <paramref name="database"/>, with another password when given.</summary>
    public string ConnectionString(string? database = null, string? password = null) =>
        new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)Port,
            UserID = User,
            Password = password ?? Password,
            Database = database ?? string.Empty,
            ConnectionTimeout = 5,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct)
    {
        var name = "rf_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(ConnectionString(), $"CREATE DATABASE {name} CHARACTER SET utf8mb4", ct).ConfigureAwait(false);
        return name;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken ct) =>
        ExecuteAsync(ConnectionString(), $"DROP DATABASE IF EXISTS {name}", ct);

    /// <summary>Runs SQL as <see cref="User"/>.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        var connection = new MySqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new MySqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        await _process.StopAsync("TERM", TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _folder.Dispose();
    }

    private static string RootConnectionString(int port) =>
        new MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)port, UserID = "root", Pooling = false, ConnectionTimeout = 2 }.ConnectionString;

    private static async Task<bool> CanConnectAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            var connection = new MySqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                return true;
            }
        }
        catch (MySqlException)
        {
            return false;
        }
    }
}
