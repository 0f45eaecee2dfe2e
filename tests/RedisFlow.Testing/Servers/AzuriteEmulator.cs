using System.Globalization;
using RedisFlow.Embedded;
using RedisFlow.Testing.Artifacts;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// The Azurite Azure Storage emulator (npm), blob service only, on a free 127.0.0.1 port, in memory. It checks
/// SharedKey signatures against the well-known development account <c>devstoreaccount1</c>.
/// </summary>
public sealed class AzuriteEmulator : IAsyncDisposable
{
    /// <summary>The development account name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's published key (Azurite's documented default, not a secret).</summary>
    public static string AccountKey => TestSecrets.AzuriteAccountKey;

    private readonly TempFolder _folder;
    private readonly ChildProcess _process;

    private AzuriteEmulator(TempFolder folder, ChildProcess process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string for the development account, with another account key when given.</summary>
    public string ConnectionString(string? accountKey = null) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey ?? AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{AccountName};");

    /// <summary>Starts the emulator; it answers HTTP when this returns.</summary>
    public static async Task<AzuriteEmulator> StartAsync(CancellationToken ct = default)
    {
        var script = NodeEmulators.Script("azurite/dist/src/blob/main.js");
        var folder = new TempFolder("redisflow-azurite-");
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ChildProcess.StartServer("azurite", NodeEmulators.Node,
                [script, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent"],
                folder.Path);
            try
            {
                var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{AccountName}?comp=list"));
                await process.WaitUntilReadyAsync(c => HttpReadiness.AnswersAsync(uri, c), ChildProcess.ServerStartLimit, ct).ConfigureAwait(false);
                return new AzuriteEmulator(folder, process, port);
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
