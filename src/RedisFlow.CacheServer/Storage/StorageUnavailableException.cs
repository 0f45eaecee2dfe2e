namespace RedisFlow.CacheServer.Storage;

/// <summary>
/// Storage could not be read for a reason other than a missing object: unreachable endpoint, credentials refused,
/// server error. The daemon logs it for the file and tries again on the next cycle. The message never holds a secret.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception for one object.</summary>
    /// <param name="provider">The storage provider, for example <c>s3</c>.</param>
    /// <param name="bucket">The bucket asked for.</param>
    /// <param name="location">The location asked for.</param>
    /// <param name="reason">What went wrong and how to fix it.</param>
    /// <param name="inner">The SDK's exception.</param>
    public StorageUnavailableException(string provider, string bucket, string location, string reason, Exception? inner = null)
        : base($"The {provider} storage could not be read: {reason}", inner)
    {
        Provider = provider;
        Bucket = bucket;
        Location = location;
        Data["Provider"] = provider;
        Data["Bucket"] = bucket;
        Data["Location"] = location;
    }

    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
        : this("The storage could not be read.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
        Provider = Bucket = Location = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
        Provider = Bucket = Location = string.Empty;
    }

    /// <summary>The storage provider name.</summary>
    public string Provider { get; }

    /// <summary>The bucket asked for.</summary>
    public string Bucket { get; }

    /// <summary>The location asked for.</summary>
    public string Location { get; }
}
