namespace RedisFlow.Storage.S3;

/// <summary>Where an object lives in S3: the physical bucket and the object key.</summary>
/// <param name="BucketName">The S3 bucket.</param>
/// <param name="Key">The object key in it.</param>
public readonly record struct S3ObjectAddress(string BucketName, string Key)
{
    /// <summary>
    /// RAGFlow's mapping of <c>(bucket, location)</c> (its <c>use_default_bucket</c> and <c>use_prefix_path</c>):
    /// the physical bucket is <paramref name="singleBucket"/> when set, else <paramref name="bucket"/>; the key is
    /// <c>[prefix/][bucket/ when single-bucket]location</c>.
    /// </summary>
    public static S3ObjectAddress Resolve(string? singleBucket, string? prefix, string bucket, string location)
    {
        var key = location;
        var physical = bucket;
        if (!string.IsNullOrWhiteSpace(singleBucket))
        {
            key = $"{bucket}/{key}";
            physical = singleBucket;
        }

        if (!string.IsNullOrWhiteSpace(prefix))
        {
            key = $"{prefix.Trim('/')}/{key}";
        }

        return new S3ObjectAddress(physical, key);
    }
}
