using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RedisFlow.Transport;

/// <summary>
/// The lean connection's TLS rules, the same as the multiplexer's (see <see cref="RedisConnectionFactory"/>): insecure
/// accepts any certificate (the user asked for it); a CA file accepts a certificate whose only fault is a chain that
/// this CA completes; otherwise only a certificate without any error. The client certificate is the same PEM pair.
/// </summary>
internal static class LeanTls
{
    public static RemoteCertificateValidationCallback Validation(RedisSslOptions? ssl)
    {
        if (ssl is { Insecure: true })
        {
#pragma warning disable CA5359 // --insecure was asked for; RedisDb logs a warning about it at connect time.
            return static (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        if (ssl?.CaCertificateFile is { } caFile)
        {
            var authority = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            return (_, certificate, _, errors) => errors == SslPolicyErrors.None ||
                (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is X509Certificate2 leaf && IssuedBy(authority, leaf));
        }

        return static (_, _, _, errors) => errors == SslPolicyErrors.None;
    }

    public static Func<X509Certificate2?>? ClientCertificate(RedisSslOptions? ssl) =>
        ssl is { ClientCertificateFile: { } certificate, ClientKeyFile: { } key }
            ? () => X509Certificate2.CreateFromPemFile(certificate, key)
            : null;

    private static bool IssuedBy(X509Certificate2 authority, X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
