using System.Globalization;

namespace RedisFlow.Testing.Artifacts;

/// <summary>
/// Every secret the suite hands to a server or to the code under test comes from here, so that
/// <c>scripts/sweep-secrets.sh</c> knows what to look for: each value is written once, with its name, to
/// <see cref="ListFile"/> in the run's artifacts folder (the sweep reads that file and skips it).
/// </summary>
/// <remarks>Values are made unique per run where the server allows it, so a value found in a log can only have come from this run.</remarks>
public static class TestSecrets
{
    /// <summary>The name of the secrets list in <see cref="TestArtifacts.Root"/>: one <c>name&lt;TAB&gt;value</c> per line.</summary>
    public const string ListFileName = "secrets.list";

    private static readonly Lock Gate = new();
    private static readonly HashSet<(string Name, string Value)> Registered = [];
    private static readonly Lazy<string> RunSuffix = new(() => Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The secrets list of this run.</summary>
    public static string ListFile => Path.Combine(TestArtifacts.Root, ListFileName);

    /// <summary>The password of the named ACL user the credential tests create (<c>flowuser</c>).</summary>
    public static string RedisUserPassword => Register("redis-user-password", "Right-Pass-" + RunSuffix.Value);

    /// <summary>A password the credential tests give on purpose to be refused; never valid, still never to be printed.</summary>
    public static string RedisWrongPassword => Register("redis-wrong-password", "Wrong-Pass-" + RunSuffix.Value);

    /// <summary>The <c>requirepass</c> of the servers that have one.</summary>
    public static string RedisAdminPassword => Register("redis-requirepass", "Admin-Pass-" + RunSuffix.Value);

    /// <summary>The Azurite account key: the emulator's well-known development key (it accepts no other).</summary>
    public static string AzuriteAccountKey => Register("azurite-account-key", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==");

    /// <summary>The s3rver secret key: fixed by the emulator and equal to its access key, so too short and too public to sweep (listed, skipped).</summary>
    public static string S3SecretKey => Register("s3rver-secret-key", "S3RVER");

    /// <summary>The RAGFlow encryption key (<c>RAGFLOW_CRYPTO_KEY</c>) of the encrypted-storage tests.</summary>
    public static string RagflowCryptoKey => Register("ragflow-crypto-key", "the-ragflow-crypto-key");

    /// <summary>The dashboard's access token in the dashboard tests (<c>Dashboard:Token</c>).</summary>
    public static string DashboardToken => Register("dashboard-token", "dashboard-token-" + RunSuffix.Value + "-0123456789");

    /// <summary>Registers <paramref name="value"/> under <paramref name="name"/> (once) and answers it.</summary>
    public static string Register(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (name.Contains('\t', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A secret's name has no tab or line break, and its value no line break (the list is one per line).", nameof(name));
        }

        lock (Gate)
        {
            if (Registered.Add((name, value)))
            {
                // Appended line by line: several test processes of one run share the file.
                File.AppendAllText(ListFile, $"{name}\t{value}\n");
            }
        }

        return value;
    }

    /// <summary>A new random password registered as <paramref name="name"/>: for servers the suite starts (databases).</summary>
    public static string NewPassword(string name) =>
        Register(name, string.Create(CultureInfo.InvariantCulture, $"{name}-{Guid.NewGuid():N}"));
}
