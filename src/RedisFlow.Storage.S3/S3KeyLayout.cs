namespace RedisFlow.Storage.S3;

/// <summary>
/// How RAGFlow's storage connectors turn <c>(bucket id, location)</c> into an S3 bucket and key. Its MinIO, AWS S3
/// and OSS connectors share the settings <c>bucket</c> and <c>prefix_path</c> but apply them differently, so a
/// file written by one is only found with the same layout.
/// </summary>
public enum S3KeyLayout
{
    /// <summary>
    /// RAGFlow's <c>STORAGE_IMPL=MINIO</c> (the default): key <c>[prefix/][bucket id/ when single-bucket]location</c>.
    /// </summary>
    Minio,

    /// <summary>
    /// RAGFlow's <c>STORAGE_IMPL=AWS_S3</c>: key <c>prefix/bucket id/location</c> with a prefix, else the location
    /// alone (also in single-bucket mode).
    /// </summary>
    AwsS3,

    /// <summary>RAGFlow's <c>STORAGE_IMPL=OSS</c>: key <c>[prefix/]location</c>; the bucket id never enters the key.</summary>
    Oss,
}
