using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RedisFlow.Dashboard.Hosting;

/// <summary>
/// Where the stand-alone dashboard (<c>redisflow dashboard</c>) listens, its HTTPS certificate, and what its host adds
/// (services and endpoints such as <c>/metrics</c>).
/// </summary>
public sealed class DashboardServerOptions
{
    /// <summary>The address to listen on: an IP address or <c>localhost</c>. Default <c>127.0.0.1</c> (loopback only).</summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one. Default 8080.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>HTTPS certificate: a PEM file (with <see cref="CertificateKeyPath"/>) or a PKCS#12 (.pfx) file; null for plain HTTP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of a .pfx certificate or an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Adds services to the dashboard's web app before it is built: for example an OpenTelemetry meter provider with the
    /// exporter the host chose (the dashboard package carries none).
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>
    /// Maps more endpoints at the root, behind the dashboard's own access rules (the Host check on loopback, the token or
    /// session cookie when <see cref="DashboardOptions.Token"/> is set, else loopback callers only): for example
    /// <c>/metrics</c>, which then needs <c>Authorization: Bearer &lt;token&gt;</c> like the JSON API.
    /// </summary>
    public Action<IEndpointRouteBuilder>? MapEndpoints { get; set; }
}
