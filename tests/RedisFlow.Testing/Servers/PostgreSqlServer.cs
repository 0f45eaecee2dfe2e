using System.Globalization;
using Npgsql;
using RedisFlow.Embedded;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c>, binaries in <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>)
/// on a free 127.0.0.1 port, with its data and socket in a temp folder and password (SCRAM) authentication.
/// PostgreSQL refuses to run as root, so under root it runs as <c>nobody</c> through <c>setpriv</c>.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    /// <summary>The superuser tests connect as.</summary>
    public const string User = "postgres";

    private readonly TempFolder _folder;
    private readonly ChildProcess _process;

    private PostgreSqlServer(TempFolder folder, ChildProcess process, int port, string password)
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

    /// <summary>Runs <c>initdb</c> and starts <c>postgres</c>; ready to accept <see cref="User"/> when it returns.</summary>
    public static async Task<PostgreSqlServer> StartAsync(CancellationToken ct = default)
    {
        var bin = FindBinFolder();
        var folder = new TempFolder("redisflow-postgres-", openToAll: Environment.IsPrivilegedProcess);
        try
        {
            var password = TestSecrets.NewPassword("postgres-password");
            var passwordFile = folder.Combine("password");
            await File.WriteAllTextAsync(passwordFile, password, ct).ConfigureAwait(false);
            var data = folder.Combine("data");
            var (initdb, initdbArgs) = AsServerUser(Path.Combine(bin, "initdb"),
                ["-D", data, "-U", User, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--no-locale", "-E", "UTF8", "--no-sync"]);
            await ChildProcess.RunToSuccessAsync(initdb, initdbArgs, TimeSpan.FromSeconds(60), new ChildProcessOptions { WorkingDirectory = folder.Path }, ct: ct).ConfigureAwait(false);

            for (var attempt = 0; ; attempt++)
            {
                var port = FreePort.Next();
                var (postgres, args) = AsServerUser(Path.Combine(bin, "postgres"),
                [
                    "-D", data, "-k", folder.Path, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "max_connections=200", "-c", "shared_buffers=32MB",
                ]);
                var process = ChildProcess.StartServer("postgres", postgres, args, folder.Path);
                var server = new PostgreSqlServer(folder, process, port, password);
                try
                {
                    var probe = server.ConnectionString("postgres") + ";Pooling=false;Timeout=2";
                    await process.WaitUntilReadyAsync(c => CanConnectAsync(probe, c), ChildProcess.ServerStartLimit, ct).ConfigureAwait(false);
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 2 && process.Transcript.Contains("in use", StringComparison.OrdinalIgnoreCase))
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
    public string ConnectionString(string database = "postgres", string? password = null) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Password = password ?? Password,
            Database = database,
            Timeout = 5,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct)
    {
        var name = "rf_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(ConnectionString(), $"CREATE DATABASE {name}", ct).ConfigureAwait(false);
        return name;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing connections still open on it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken ct) =>
        ExecuteAsync(ConnectionString(), $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);

    /// <summary>Runs SQL.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new NpgsqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // SIGINT is PostgreSQL's fast shutdown: it ends sessions and stops at once.
        await _process.StopAsync("INT", TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _folder.Dispose();
    }

    private static string FindBinFolder()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0, Bin: Path.Combine(d, "bin")))
                .Where(x => File.Exists(Path.Combine(x.Bin, "postgres")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Bin)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL was not found in /usr/lib/postgresql/<version>/bin. Install it with 'apt-get install postgresql' (scripts/install-prereqs.sh does this).");
    }

    private static (string File, string[] Args) AsServerUser(string program, string[] args)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return (program, args);
        }

        var setpriv = ExternalProgram.Require("setpriv", "util-linux");
        return (setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", program, .. args]);
    }

    private static async Task<bool> CanConnectAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            var connection = new NpgsqlConnection(connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                return true;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
