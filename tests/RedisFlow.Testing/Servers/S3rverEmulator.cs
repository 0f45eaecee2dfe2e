using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// The <c>s3rver</c> S3 emulator (npm) on a free 127.0.0.1 port, storing objects in a temp folder. It checks
/// request signatures against its fixed credentials <see cref="AccessKey"/>/<see cref="SecretKey"/>.
/// </summary>
public sealed class S3rverEmulator : IAsyncDisposable
{
    /// <summary>The access key s3rver accepts.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret key s3rver accepts.</summary>
    public static string SecretKey => TestSecrets.S3SecretKey;

    private readonly TempFolder _folder;
    private readonly ChildProcess _process;

    private S3rverEmulator(TempFolder folder, ChildProcess process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The service URL, <c>http://127.0.0.1:port</c>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");

    /// <summary>Starts the emulator; it answers HTTP when this returns.</summary>
    public static async Task<S3rverEmulator> StartAsync(CancellationToken ct = default)
    {
        var script = NodeEmulators.Script("s3rver/bin/s3rver.js");
        var folder = new TempFolder("redisflow-s3rver-");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ChildProcess.StartServer("s3rver", NodeEmulators.Node,
                [script, "--directory", folder.Combine("data"), "--address", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--silent"],
                folder.Path);
            try
            {
                var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
                await process.WaitUntilReadyAsync(c => HttpReadiness.AnswersAsync(uri, c), ChildProcess.ServerStartLimit, ct).ConfigureAwait(false);
                return new S3rverEmulator(folder, process, port);
            }
            catch (InvalidOperationException) when (attempt < 2 && process.Transcript.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                folder.Dispose();
                throw;
            }
        }
    }

    /// <summary>Kills the emulator (SIGKILL), for outage tests.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _folder.Dispose();
    }
}
