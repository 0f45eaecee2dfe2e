using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A redis-server that speaks TLS only (<c>--port 0 --tls-port</c>), with a CA, server and client certificate made
/// at start; client certificates are optional (<c>tls-auth-clients optional</c>).
/// </summary>
public sealed class TlsRedisTopology : IAsyncDisposable
{
    private TlsRedisTopology(RedisServerProcess server, TestCertificates certificates)
    {
        Server = server;
        Certificates = certificates;
    }

    /// <summary>The server process (TLS port in <see cref="RedisServerProcess.Port"/>).</summary>
    public RedisServerProcess Server { get; }

    /// <summary>The CA and certificates the server and clients use.</summary>
    public TestCertificates Certificates { get; }

    /// <summary><c>127.0.0.1:tls-port</c>.</summary>
    public string Endpoint => Server.Endpoint;

    /// <summary>Makes the certificates and starts the server.</summary>
    public static async Task<TlsRedisTopology> StartAsync(CancellationToken ct = default)
    {
        var certificates = TestCertificates.Create();
        try
        {
            var server = await RedisServerProcess.StartAsync(new RedisServerSettings
            {
                TlsOnly = true,
                ExtraArgs =
                [
                    "--tls-cert-file", certificates.ServerCertificateFile,
                    "--tls-key-file", certificates.ServerKeyFile,
                    "--tls-ca-cert-file", certificates.CaCertificateFile,
                    "--tls-auth-clients", "optional",
                ],
            }, ct).ConfigureAwait(false);
            return new TlsRedisTopology(server, certificates);
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    /// <summary>Options for this server with TLS on and the CA trusted; <paramref name="configure"/> adjusts them.</summary>
    public RedisDbOptions Options(Action<RedisDbOptions>? configure = null)
    {
        var options = new RedisDbOptions
        {
            Host = Endpoint,
            Db = 0,
            OperationTimeout = TimeSpan.FromSeconds(5),
            // A TLS handshake on a CPU-starved machine can take seconds; the library default is 5 s too.
            ConnectTimeout = TimeSpan.FromSeconds(5),
            Ssl = new RedisSslOptions { Enabled = true, CaCertificateFile = Certificates.CaCertificateFile },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        Certificates.Dispose();
    }
}
