using System.Globalization;

namespace RedisFlow.Storage.Azure;

/// <summary>
/// Settings of the Azure Blob storage, bound from the <c>Storage</c> section (<c>Storage:ConnectionString</c>,
/// <c>Storage:Container</c>). RAGFlow keeps every file in one container; the blob name is
/// <c>[&lt;prefix&gt;/]&lt;bucket&gt;/&lt;location&gt;</c>, or just the location when <see cref="IncludeBucket"/> is false.
/// </summary>
public sealed class AzureBlobStorageOptions
{
    /// <summary>The storage account's connection string. A secret: never logged nor put in a message.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container that holds the files (RAGFlow's <c>AZURE.container_name</c>).</summary>
    public string? Container { get; set; }

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
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new RedisFlowConfigurationException($"{section}:ConnectionString", "is not set; give the storage account's connection string (DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...).");
        }

        if (string.IsNullOrWhiteSpace(Container))
        {
            throw new RedisFlowConfigurationException($"{section}:Container", "is not set; give the container that holds RAGFlow's files.");
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

    /// <summary>The blob name of <paramref name="location"/> in <paramref name="bucket"/>.</summary>
    public string BlobName(string bucket, string location)
    {
        var name = IncludeBucket ? $"{bucket}/{location}" : location;
        return string.IsNullOrWhiteSpace(Prefix) ? name : $"{Prefix.Trim('/')}/{name}";
    }

    /// <summary>The settings without the connection string, for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Container={Container}, Prefix={Prefix}, IncludeBucket={IncludeBucket}, ConnectionString=(set)");
}
