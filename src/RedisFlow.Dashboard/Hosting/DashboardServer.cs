using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedisFlow.Dashboard.Security;

namespace RedisFlow.Dashboard.Hosting;

/// <summary>
/// The stand-alone dashboard web server (what <c>redisflow dashboard</c> runs), mounted at <c>/</c>. Safe by default:
/// on loopback it checks the Host header (no DNS rebinding); on any other address it refuses to start without
/// <see cref="DashboardOptions.Token"/>.
/// </summary>
public sealed partial class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, IReadOnlyList<string> urls)
    {
        _app = app;
        Urls = urls;
    }

    /// <summary>The addresses it listens on, with the actual port (for example <c>http://127.0.0.1:8080</c>).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>Checks the settings, then starts listening.</summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is invalid, or a non-loopback address was given without a token.</exception>
    public static async Task<DashboardServer> StartAsync(DashboardServerOptions server, DashboardOptions dashboard, RedisDb db,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (address, loopback) = Validate(server, dashboard);
        var certificate = LoadCertificate(server);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, server.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        builder.Services.AddSingleton(db);
        // Antiforgery keys live only as long as the process: nothing written to disk, and a restart merely reloads the page.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<IOptions<DashboardOptions>>(Options.Create(dashboard));
        DashboardServiceCollectionExtensions.AddCore(builder.Services);
        server.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (loopback)
        {
            app.UseMiddleware<LoopbackHostCheck>();
        }

        DashboardEndpointRouteBuilderExtensions.Map(app, "/", server.MapEndpoints);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<DashboardServer>();
        if (!loopback && certificate is null)
        {
            PlainHttpWarning(logger, server.Bind);
        }

        var addresses = string.Join(", ", urls);
        Listening(logger, addresses, dashboard.ReadOnly);
        return new DashboardServer(app, urls);
    }

    /// <summary>
    /// Checks the settings without starting anything (so a command can refuse before it connects to Redis): answers
    /// the address to listen on and whether it is loopback.
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">A setting is invalid, or a non-loopback address was given without a token.</exception>
    public static (IPAddress Address, bool Loopback) Validate(DashboardServerOptions server, DashboardOptions dashboard)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(dashboard);
        dashboard.Validate();
        var (address, loopback) = ParseBind(server.Bind);
        if (server.Port is < 0 or > 65535)
        {
            throw new RedisFlowConfigurationException("Dashboard:Port", "must be from 0 to 65535.");
        }

        if (!loopback && string.IsNullOrEmpty(dashboard.Token))
        {
            throw new RedisFlowConfigurationException("Dashboard:Token",
                $"is not set, and the dashboard would listen on {server.Bind}, beyond this machine. Set an access token (Dashboard__Token, for example from `openssl rand -hex 32`) or listen on 127.0.0.1.");
        }

        return (address, loopback);
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled or the server is stopped.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static (IPAddress Address, bool Loopback) ParseBind(string? bind)
    {
        if (string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return (IPAddress.Loopback, true);
        }

        if (bind is "*" or "+")
        {
            return (IPAddress.IPv6Any, false);
        }

        if (!IPAddress.TryParse(bind, out var address))
        {
            throw new RedisFlowConfigurationException("Dashboard:Bind", $"is '{bind}', not an IP address; give 127.0.0.1 (default), ::1, 0.0.0.0 or an address of this machine.");
        }

        return (address, IPAddress.IsLoopback(address));
    }

    private static X509Certificate2? LoadCertificate(DashboardServerOptions server)
    {
        if (string.IsNullOrEmpty(server.CertificatePath))
        {
            return null;
        }

        if (!File.Exists(server.CertificatePath))
        {
            throw new RedisFlowConfigurationException("Dashboard:Https:Certificate", $"names {server.CertificatePath}, which does not exist.");
        }

        try
        {
            if (!string.IsNullOrEmpty(server.CertificateKeyPath))
            {
                return string.IsNullOrEmpty(server.CertificatePassword)
                    ? X509Certificate2.CreateFromPemFile(server.CertificatePath, server.CertificateKeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(server.CertificatePath, server.CertificatePassword, server.CertificateKeyPath);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(server.CertificatePath, server.CertificatePassword);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new RedisFlowConfigurationException("Dashboard:Https:Certificate", $"could not be loaded: {ex.Message}", ex);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning,
        Message = "The dashboard listens on {Bind} over plain HTTP: its token and session cookie cross the network unencrypted. Give a certificate (--https-cert) or put it behind a TLS proxy.")]
    private static partial void PlainHttpWarning(ILogger logger, string bind);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Dashboard listening on {Urls} (read-only: {ReadOnly})")]
    private static partial void Listening(ILogger logger, string urls, bool readOnly);
}
