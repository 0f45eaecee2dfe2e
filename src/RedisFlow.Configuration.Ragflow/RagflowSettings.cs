namespace RedisFlow.Configuration.Ragflow;

/// <summary>
/// RedisFlow's settings (<c>Redis:*</c>, <c>TaskSource:*</c>, <c>Storage:*</c>) resolved from a RAGFlow deployment's
/// <c>service_conf.yaml</c> and its environment (<c>DB_TYPE</c>, <c>STORAGE_IMPL</c>), as RAGFlow's own services
/// would read them.
/// </summary>
public sealed class RagflowSettings
{
    /// <summary>The configuration key under which settings that could not be resolved are listed, with why.</summary>
    /// <remarks>
    /// A password RAGFlow keeps encrypted (its <c>encrypt_password</c> option) cannot be decrypted here: RAGFlow calls
    /// a Python function named in its configuration. The setting is then left out and listed under this key, so that
    /// an explicit setting (an environment variable, a flag) can still supply it; <see cref="ThrowIfUnresolved"/>
    /// names the cause when nothing did.
    /// </remarks>
    public const string UnresolvedSection = "RagflowConf:Unresolved";

    private RagflowSettings(IReadOnlyDictionary<string, string?> values, IReadOnlyList<string> notes)
    {
        Values = values;
        Notes = notes;
    }

    /// <summary>The settings as flat configuration keys (<c>Redis:Host</c>, <c>TaskSource:ConnectionString</c>, ...).</summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>What the mapping decided that an operator should know (a signature version taken as v4, ...).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Reads <paramref name="path"/> (and <c>local.</c> + its name beside it) with <paramref name="environment"/>.</summary>
    /// <param name="path">RAGFlow's <c>conf/service_conf.yaml</c>, or the docker template itself.</param>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when null.</param>
    /// <exception cref="RedisFlowConfigurationException">The file is unreadable, or names something RedisFlow cannot serve.</exception>
    public static RagflowSettings Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        environment ??= Environment.GetEnvironmentVariable;
        var conf = ServiceConfFile.Load(path, environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var notes = new List<string>();
        var encryptedPasswords = ConfFlags.EncryptedPasswords(conf);
        RedisMapping.Apply(conf, values);
        DatabaseMapping.Apply(conf, environment, encryptedPasswords, values);
        StorageMapping.Apply(conf, environment, encryptedPasswords, values, notes);
        return new RagflowSettings(values, notes);
    }

    /// <summary>
    /// Throws when a setting this file could not resolve (see <see cref="UnresolvedSection"/>) was not given by any
    /// other source of <paramref name="configuration"/> either.
    /// </summary>
    /// <exception cref="RedisFlowConfigurationException">Names the setting and why the file could not supply it.</exception>
    public static void ThrowIfUnresolved(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var unresolved in configuration.GetSection(UnresolvedSection).GetChildren())
        {
            var key = unresolved.Key.Replace("__", ":", StringComparison.Ordinal);
            if (string.IsNullOrEmpty(configuration[key]))
            {
                throw new RedisFlowConfigurationException(key, unresolved.Value ?? "could not be read from RAGFlow's service_conf.yaml.");
            }
        }
    }
}
