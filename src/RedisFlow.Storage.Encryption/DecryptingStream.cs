using System.Security.Cryptography;

namespace RedisFlow.Storage.Encryption;

/// <summary>
/// The plaintext of one encrypted object, decrypted as it is read (memory stays flat whatever the file size); a
/// padding or length error becomes a <see cref="StorageDecryptionException"/> naming the object.
/// </summary>
internal sealed class DecryptingStream(CryptoStream plaintext, string bucket, string location) : ReadOnlyStreamBase
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await plaintext.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (CryptographicException ex)
        {
            throw new StorageDecryptionException(bucket, location, "bad padding after decryption", ex);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return plaintext.Read(buffer);
        }
        catch (CryptographicException ex)
        {
            throw new StorageDecryptionException(bucket, location, "bad padding after decryption", ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeQuietly(plaintext);
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A CryptoStream disposed before its end (a failed or cancelled read) finishes the transform and can throw a
    /// padding error of its own; the read already failed, so that one says nothing new.
    /// </summary>
    private static void DisposeQuietly(CryptoStream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (CryptographicException)
        {
        }
    }
}
