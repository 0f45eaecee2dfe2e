namespace RedisFlow;

/// <summary>TLS settings, named after redis-cli's flags (<c>--tls</c>, <c>--cacert</c>, <c>--cert</c>, <c>--key</c>, <c>--insecure</c>).</summary>
public sealed class RedisSslOptions
{
    /// <summary>Use TLS (<c>--tls</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>PEM file of a CA to trust for the server certificate (<c>--cacert</c>).</summary>
    public string? CaCertificateFile { get; set; }

    /// <summary>PEM client certificate for mutual TLS (<c>--cert</c>).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/> (<c>--key</c>).</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Skip server certificate verification (<c>--insecure</c>). Off by default; a warning is logged when on.</summary>
    public bool Insecure { get; set; }

    /// <summary>Name expected on the server certificate when it differs from the host name.</summary>
    public string? ServerName { get; set; }

    internal void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        RequireFile(CaCertificateFile, "Redis:Ssl:CaCertificateFile");
        RequireFile(ClientCertificateFile, "Redis:Ssl:ClientCertificateFile");
        RequireFile(ClientKeyFile, "Redis:Ssl:ClientKeyFile");
        if ((ClientCertificateFile is null) != (ClientKeyFile is null))
        {
            throw new RedisFlowConfigurationException(
                ClientCertificateFile is null ? "Redis:Ssl:ClientCertificateFile" : "Redis:Ssl:ClientKeyFile",
                "must be given together with its pair (--cert and --key).");
        }
    }

    private static void RequireFile(string? path, string setting)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new RedisFlowConfigurationException(setting, $"names '{path}', which does not exist.");
        }
    }
}
