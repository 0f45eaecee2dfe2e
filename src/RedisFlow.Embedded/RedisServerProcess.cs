using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace RedisFlow.Embedded;

/// <summary>
/// A real <c>redis-server</c> on a free 127.0.0.1 port with its own temp folder. It can be killed (SIGKILL) and
/// restarted on the same port to test fault paths against the real process.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly List<RedisServerProcess> Live = [];
    private readonly string _executable;
    private readonly string[] _extraArgs;
    private readonly RedisServerSettings _settings;
    private Process? _process;

    static RedisServerProcess()
    {
        // A crashed or aborted test run must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Live)
            {
                foreach (var server in Live)
                {
                    server.KillQuietly();
                }
            }
        };
    }

    private RedisServerProcess(string executable, int port, string directory, string[] extraArgs, RedisServerSettings settings)
    {
        _executable = executable;
        Port = port;
        Directory = directory;
        _extraArgs = extraArgs;
        _settings = settings;
    }

    /// <summary>
    /// When set, each server started from then on also writes what it prints (its log) to a file of its own in this
    /// folder. The test fixtures point it at the run's artifacts folder, which is swept for secrets; the CLI leaves it
    /// unset.
    /// </summary>
    public static string? LogFolder { get; set; }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's working folder (dump/AOF files go here).</summary>
    public string Directory { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the process runs now.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server; <paramref name="extraArgs"/> are passed on, for example <c>--appendonly yes</c>.</summary>
    public static Task<RedisServerProcess> StartAsync(IEnumerable<string>? extraArgs = null, CancellationToken ct = default) =>
        StartAsync(new RedisServerSettings { ExtraArgs = extraArgs?.ToArray() ?? [] }, ct);

    /// <summary>
    /// Starts a server as <paramref name="settings"/> describe: a config file (Sentinel needs one), TLS only,
    /// extra arguments. Ready means it answers PING (or, TLS only, accepts TCP connections).
    /// </summary>
    public static async Task<RedisServerProcess> StartAsync(RedisServerSettings settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var executable = ExternalProgram.Require("redis-server", "redis-server");
        var directory = System.IO.Directory.CreateTempSubdirectory("redisflow-redis-").FullName;
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var server = new RedisServerProcess(executable, FreePort.Next(), directory, [.. settings.ExtraArgs], settings);
            try
            {
                await server.StartProcessAsync(ct).ConfigureAwait(false);
                lock (Live)
                {
                    Live.Add(server);
                }

                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely the port was taken between probing and binding; try another.
                last = ex;
                server.KillQuietly();
            }
        }

        throw new InvalidOperationException("redis-server did not start after 3 attempts.", last);
    }

    /// <summary>Kills the process with SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Starts the server again on the same port and folder.</summary>
    public Task RestartAsync(CancellationToken ct = default) => StartProcessAsync(ct);

    /// <summary>Runs one command through <c>redis-cli</c>-free plain RESP and returns the raw reply (for assertions independent of the library).</summary>
    public async Task<string> SendRawAsync(CancellationToken ct, params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, ct).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        foreach (var part in command)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), ct).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (Live)
        {
            Live.Remove(this);
        }

        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS eventually.
        }
    }

    private async Task StartProcessAsync(CancellationToken ct)
    {
        var info = new ProcessStartInfo(_settings.StopWhenParentExits ? "/bin/sh" : _executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = _settings.StopWhenParentExits,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        if (_settings.StopWhenParentExits)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(ParentWatcherScript);
            info.ArgumentList.Add(_executable);
        }

        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_settings.ConfigText is not null)
        {
            // redis-server takes the config file as its first argument; Sentinel rewrites it, so it lives in the folder.
            var configFile = Path.Combine(Directory, _settings.Sentinel ? "sentinel.conf" : "redis.conf");
            if (!File.Exists(configFile))
            {
                await File.WriteAllTextAsync(configFile, _settings.ConfigText, ct).ConfigureAwait(false);
            }

            info.ArgumentList.Add(configFile);
        }

        if (_settings.Sentinel)
        {
            info.ArgumentList.Add("--sentinel");
        }

        var listen = _settings.TlsOnly ? new[] { "--port", "0", "--tls-port", port } : ["--port", port];
        foreach (var arg in listen.Concat(new[]
                 {
                     "--bind", "127.0.0.1",
                     "--dir", Directory,
                     "--save", string.Empty,
                     "--appendonly", "no",
                     "--protected-mode", "no",
                     "--daemonize", "no",
                     "--logfile", string.Empty,
                 }).Concat(_extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var logFile = LogFolder is { } folder ? Path.Combine(System.IO.Directory.CreateDirectory(folder).FullName, $"redis-server-{Port}-{Guid.NewGuid():N}.log") : null;
        void Received(string? line)
        {
            lock (output)
            {
                output.AppendLine(line);
                if (logFile is not null && line is not null)
                {
                    File.AppendAllText(logFile, line + "\n");
                }
            }
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        var lastReply = "no connection";
        while (deadline.Elapsed < _settings.StartLimit)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} at start on port {Port}: {log}");
            }

            try
            {
                if (_settings.TlsOnly)
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync("127.0.0.1", Port, ct).ConfigureAwait(false);
                    return;
                }

                var reply = await SendRawAsync(ct, "PING").ConfigureAwait(false);
                lastReply = reply.Trim();
                // A server with requirepass answers -NOAUTH: it is up all the same.
                if (reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (IOException)
            {
                // Loading; try again.
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }

        KillQuietly();
        string startLog;
        lock (output)
        {
            startLog = output.ToString();
        }

        throw new InvalidOperationException(
            $"redis-server did not answer PING on port {Port} within {_settings.StartLimit.TotalSeconds:0} s (last reply: {lastReply}): {startLog}");
    }

    /// <summary>
    /// Runs redis-server ("$0" "$@") in the background and a reader of this shell's standard input, a pipe whose
    /// only writer is the parent: its end-of-file means the parent is gone, and the server is stopped. The shell
    /// itself ends when the server does, with its exit code, so a failed start is seen as before.
    /// </summary>
    private const string ParentWatcherScript =
        "exec 3<&0\n" +
        "\"$0\" \"$@\" </dev/null &\n" +
        "server=$!\n" +
        "( cat <&3 >/dev/null; kill \"$server\" 2>/dev/null ) &\n" +
        "exec 3<&-\n" +
        "wait \"$server\"\n";

    private void KillQuietly()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
