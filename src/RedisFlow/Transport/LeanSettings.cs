using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RedisFlow.Transport;

/// <summary>How a lean connection connects and authenticates: the same credentials, database and TLS rules as the multiplexer.</summary>
internal sealed record LeanSettings(
    string? User,
    string? Password,
    int Database,
    string? ClientName,
    bool Tls,
    string? TlsHost,
    RemoteCertificateValidationCallback? CertificateValidation,
    Func<X509Certificate2?>? ClientCertificate,
    TimeSpan ConnectTimeout,
    TimeSpan IoTimeout)
{
    // The generated ToString would print the password: only what is safe to log.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("User = ").Append(User).Append(", Database = ").Append(Database).Append(", Tls = ").Append(Tls);
        return true;
    }
}
