using RedisFlow.Storage.S3;

namespace RedisFlow.CacheServer.Tests.Storage;

/// <summary>
/// RAGFlow's three S3-style connectors place the same (bucket id, location) at different keys: MinIO puts the bucket id
/// in the key only in single-bucket mode, AWS S3 only with a prefix, OSS never.
/// </summary>
public sealed class S3KeyLayoutTests
{
    [Theory]
    [InlineData(S3KeyLayout.Minio, null, null, "kb1", "kb1/a.pdf")]
    [InlineData(S3KeyLayout.Minio, "ragflow", "pre", "ragflow", "pre/kb1/kb1/a.pdf")]
    [InlineData(S3KeyLayout.AwsS3, null, null, "kb1", "kb1/a.pdf")]
    [InlineData(S3KeyLayout.AwsS3, "ragflow", null, "ragflow", "kb1/a.pdf")]
    [InlineData(S3KeyLayout.AwsS3, "ragflow", "/pre/", "ragflow", "pre/kb1/kb1/a.pdf")]
    [InlineData(S3KeyLayout.AwsS3, null, "pre", "kb1", "pre/kb1/kb1/a.pdf")]
    [InlineData(S3KeyLayout.Oss, "ragflow", null, "ragflow", "kb1/a.pdf")]
    [InlineData(S3KeyLayout.Oss, "ragflow", "pre", "ragflow", "pre/kb1/a.pdf")]
    [InlineData(S3KeyLayout.Oss, null, "pre", "kb1", "pre/kb1/a.pdf")]
    public void Maps_each_connectors_layout(S3KeyLayout layout, string? singleBucket, string? prefix, string physical, string key) =>
        Assert.Equal(new S3ObjectAddress(physical, key), S3ObjectAddress.Resolve(layout, singleBucket, prefix, "kb1", "kb1/a.pdf"));
}
