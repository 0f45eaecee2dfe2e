using System.Globalization;

namespace RedisFlow.Storage.Azure;

/// <summary>
/// Settings of the Azure Blob storage, bound from the <c>Storage</c> section: either the account's
/// <c>Storage:ConnectionString</c> and <c>Storage:Container</c>, or, as RAGFlow's <c>azure_sas_conn.py</c>, a
/// <c>Storage:ContainerUrl</c> with a <c>Storage:SasToken</c>. RAGFlow keeps every file in one container; the blob name is
/// <c>[&lt;prefix&gt;/]&lt;bucket&gt;/&lt;location&gt;</c>, or just the location when <see cref="IncludeBucket"/> is false.
/// </summary>
public sealed class AzureBlobStorageOptions
{
    /// <summary>The storage account's connection string. A secret: never logged nor put in a message.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container that holds the files (RAGFlow's <c>AZURE.container_name</c>); with a connection string.</summary>
    public string? Container { get; set; }

    /// <summary>
    /// The container's address, <c>https://account.blob.core.windows.net/container</c> (RAGFlow's
    /// <c>AZURE.container_url</c>), used with <see cref="SasToken"/> instead of a connection string.
    /// </summary>
    public string? ContainerUrl { get; set; }

    /// <summary>A shared access signature granting read on the container (RAGFlow's <c>AZURE.sas_token</c>). A secret.</summary>
    public string? SasToken { get; set; }

    /// <summary>Whether the SAS mode (<see cref="ContainerUrl"/> and <see cref="SasToken"/>) is configured.</summary>
    public bool UsesSas => !string.IsNullOrWhiteSpace(ContainerUrl);

    /// <summary>A blob-name prefix before everything else, without slashes at the ends. Empty by default.</summary>
    public string? Prefix { get; set; }

    /// <summary>
    /// Whether the blob name starts with the bucket id (<c>&lt;bucket&gt;/&lt;location&gt;</c>, the default). Set false for
    /// deployments whose blobs are named by location alone, as RAGFlow's <c>azure_sas_conn.py</c> stores them.
    /// </summary>
    public bool IncludeBucket { get; set; } = true;

    /// <summary>How many times the SDK retries a failed request before the error reaches the daemon. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long one network operation may take before it fails. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws naming the first bad setting (<c>Storage:ConnectionString</c>, ...).</summary>
    /// <param name="section">The configuration path of these options, used in the message; <c>Storage</c> by default.</param>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid.</exception>
    public void Validate(string section = "Storage")
    {
        if (UsesSas)
        {
            ValidateSas(section);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(ConnectionString))
            {
                throw new RedisFlowConfigurationException($"{section}:ConnectionString", "is not set; give the storage account's connection string (DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...), or Storage:ContainerUrl with Storage:SasToken.");
            }

            if (string.IsNullOrWhiteSpace(Container))
            {
                throw new RedisFlowConfigurationException($"{section}:Container", "is not set; give the container that holds RAGFlow's files.");
            }
        }

        if (!string.IsNullOrWhiteSpace(Container) && !IsContainerName(Container))
        {
            throw new RedisFlowConfigurationException($"{section}:Container", $"is '{Container}', which Azure does not accept as a container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            throw new RedisFlowConfigurationException($"{section}:MaxRetries", string.Create(CultureInfo.InvariantCulture, $"is {MaxRetries}; it must be between 0 and 10."));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new RedisFlowConfigurationException($"{section}:Timeout", string.Create(CultureInfo.InvariantCulture, $"is {Timeout}; it must be positive, for example 00:00:30."));
        }
    }

    private void ValidateSas(string section)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new RedisFlowConfigurationException($"{section}:ContainerUrl", "is set together with Storage:ConnectionString; give one of them (a connection string, or a container URL with a SAS token).");
        }

        if (!Uri.TryCreate(ContainerUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || url.AbsolutePath.Trim('/').Length == 0)
        {
            throw new RedisFlowConfigurationException($"{section}:ContainerUrl", "is not a container address such as https://account.blob.core.windows.net/container.");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new RedisFlowConfigurationException($"{section}:ContainerUrl", "holds credentials (user:secret@) inside the URL; give the URL without them and the SAS token in Storage:SasToken.");
        }

        if (!string.IsNullOrEmpty(url.Query))
        {
            // Never echo it: the query of a container URL is usually the SAS token itself.
            throw new RedisFlowConfigurationException($"{section}:ContainerUrl", "has a query string; put the SAS token in Storage:SasToken and give the URL without it.");
        }

        if (string.IsNullOrWhiteSpace(SasToken))
        {
            throw new RedisFlowConfigurationException($"{section}:SasToken", "is not set; give a SAS token with read permission on the container (with Storage:ContainerUrl).");
        }
    }

    /// <summary>Azure's container name rule: 3-63 of a-z, 0-9 and '-', starting and ending with a letter or digit, no "--".</summary>
    internal static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>The blob name of <paramref name="location"/> in <paramref name="bucket"/>.</summary>
    public string BlobName(string bucket, string location)
    {
        var name = IncludeBucket ? $"{bucket}/{location}" : location;
        return string.IsNullOrWhiteSpace(Prefix) ? name : $"{Prefix.Trim('/')}/{name}";
    }

    /// <summary>The settings without the connection string or SAS token, for logs.</summary>
    public override string ToString() => UsesSas
        ? string.Create(CultureInfo.InvariantCulture, $"ContainerUrl={ContainerUrl}, Prefix={Prefix}, IncludeBucket={IncludeBucket}, SasToken=(set)")
        : string.Create(CultureInfo.InvariantCulture, $"Container={Container}, Prefix={Prefix}, IncludeBucket={IncludeBucket}, ConnectionString=(set)");
}
