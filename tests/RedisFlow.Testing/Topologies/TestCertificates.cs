using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RedisFlow.Testing.Topologies;

/// <summary>
/// A throw-away CA, a server certificate for 127.0.0.1/localhost and a client certificate, all signed by the CA and
/// written as PEM files into a temp folder, made fresh for each test run.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    /// <summary>The folder holding the PEM files.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (what <c>--cacert</c> takes).</summary>
    public string CaCertificateFile => Path.Combine(Directory, "ca.crt");

    /// <summary>The server certificate.</summary>
    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    /// <summary>The server private key.</summary>
    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    /// <summary>The client certificate (what <c>--cert</c> takes).</summary>
    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    /// <summary>The client private key (what <c>--key</c> takes).</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>Makes the CA and both certificates.</summary>
    public static TestCertificates Create()
    {
        var result = new TestCertificates(System.IO.Directory.CreateTempSubdirectory("redisflow-tls-").FullName);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=RedisFlow Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(2));
        File.WriteAllText(result.CaCertificateFile, ca.ExportCertificatePem());

        Issue(ca, "CN=localhost", serverAuth: true, result.ServerCertificateFile, result.ServerKeyFile);
        Issue(ca, "CN=redisflow-client", serverAuth: false, result.ClientCertificateFile, result.ClientKeyFile);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    private static void Issue(X509Certificate2 ca, string subject, bool serverAuth, string certFile, string keyFile)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usage = new OidCollection { new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usage, false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var cert = request.Create(ca, now, now.AddDays(1), serial);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
