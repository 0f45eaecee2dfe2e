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
    public static S3ObjectAddress Resolve(string? singleBucket, string? prefix, string bucket, string location) =>
        Resolve(S3KeyLayout.Minio, singleBucket, prefix, bucket, location);

    /// <summary>
    /// The same mapping for each of RAGFlow's S3-style connectors (see <see cref="S3KeyLayout"/>): the physical bucket
    /// is always <paramref name="singleBucket"/> when set, else <paramref name="bucket"/>; the key depends on the layout.
    /// </summary>
    public static S3ObjectAddress Resolve(S3KeyLayout layout, string? singleBucket, string? prefix, string bucket, string location)
    {
        var physical = string.IsNullOrWhiteSpace(singleBucket) ? bucket : singleBucket;
        var hasPrefix = !string.IsNullOrWhiteSpace(prefix);
        return layout switch
        {
            S3KeyLayout.AwsS3 => new S3ObjectAddress(physical, hasPrefix ? $"{prefix!.Trim('/')}/{bucket}/{location}" : location),
            S3KeyLayout.Oss => new S3ObjectAddress(physical, hasPrefix ? $"{prefix!.Trim('/')}/{location}" : location),
            _ => ResolveMinio(singleBucket, prefix, bucket, location),
        };
    }

    private static S3ObjectAddress ResolveMinio(string? singleBucket, string? prefix, string bucket, string location)
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
