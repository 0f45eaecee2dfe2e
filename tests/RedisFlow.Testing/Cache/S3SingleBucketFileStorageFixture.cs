using RedisFlow.Storage.S3;
using RedisFlow.Testing.Servers;

namespace RedisFlow.Testing.Cache;

/// <summary>
/// S3 stores in RAGFlow's single-bucket mode: one physical bucket per store (<c>Storage:Bucket</c>) holding
/// <c>ragflow/&lt;bucket id&gt;/&lt;location&gt;</c> (<c>Storage:Prefix = ragflow</c>).
/// </summary>
public sealed class S3SingleBucketFileStorageFixture : S3FileStorageFixture
{
    /// <inheritdoc />
    public override S3StorageOptions OptionsFor(S3rverEmulator emulator)
    {
        var options = base.OptionsFor(emulator);
        options.Bucket = "rf-" + Guid.NewGuid().ToString("N");
        options.Prefix = "ragflow";
        return options;
    }
}
