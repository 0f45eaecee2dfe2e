namespace RedisFlow.Dashboard.Hosting;

/// <summary>Where the stand-alone dashboard (<c>redisflow dashboard</c>) listens, and its HTTPS certificate.</summary>
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
}
