namespace RedisFlow.CacheServer.Storage;

/// <summary>The bucket or object is not in storage (deleted, never uploaded, or a wrong bucket name).</summary>
public sealed class StorageObjectNotFoundException : Exception
{
    /// <summary>Creates the exception for one object.</summary>
    public StorageObjectNotFoundException(string bucket, string location, Exception? inner = null)
        : base("The object is not in storage (missing bucket or object).", inner)
    {
        Bucket = bucket;
        Location = location;
        Data["Bucket"] = bucket;
        Data["Location"] = location;
    }

    /// <summary>Creates the exception.</summary>
    public StorageObjectNotFoundException()
        : base("The object is not in storage.")
    {
        Bucket = Location = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public StorageObjectNotFoundException(string message)
        : base(message)
    {
        Bucket = Location = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public StorageObjectNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
        Bucket = Location = string.Empty;
    }

    /// <summary>The bucket asked for.</summary>
    public string Bucket { get; }

    /// <summary>The location asked for.</summary>
    public string Location { get; }
}
