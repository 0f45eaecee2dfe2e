using System.Security.Cryptography;
using RedisFlow.CacheServer.Storage;

namespace RedisFlow.Storage.Encryption;

/// <summary>
/// Any <see cref="IFileStorage"/> whose objects RAGFlow may have stored encrypted (its <c>RAGFLOW_CRYPTO_*</c>): an
/// object that begins with <c>"RAGF"</c> is decrypted as it streams, any other passes through unchanged, as RAGFlow
/// reads them.
/// </summary>
public sealed class EncryptedFileStorage : IFileStorage
{
    private readonly IFileStorage _inner;
    private readonly RagflowCipher _cipher;

    /// <summary>Wraps <paramref name="inner"/> with the validated <paramref name="options"/>.</summary>
    /// <exception cref="RedisFlowConfigurationException">The options are incomplete (the key is never quoted).</exception>
    public EncryptedFileStorage(IFileStorage inner, RagflowCryptoOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _inner = inner;
        _cipher = new RagflowCipher(options.Algorithm, options.Key!);
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <summary>The algorithm files are decrypted with.</summary>
    public string Algorithm => _cipher.Algorithm;

    /// <inheritdoc />
    public async Task<StoredFile> OpenReadAsync(string bucket, string location, CancellationToken ct)
    {
        var file = await _inner.OpenReadAsync(bucket, location, ct).ConfigureAwait(false);
        try
        {
            var head = new byte[RagflowCipher.Magic.Length];
            var read = await file.Content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (read < head.Length || !head.AsSpan().SequenceEqual(RagflowCipher.Magic))
            {
                // Not encrypted: the bytes, unchanged, with the length the storage announced.
                return new StoredFile(new PrefixedStream(head, read, file.Content), file.Length);
            }

            var iv = new byte[RagflowCipher.IvLength];
            if (await file.Content.ReadAtLeastAsync(iv, iv.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false) < iv.Length)
            {
                throw new StorageDecryptionException(bucket, location, "truncated before the end of its IV");
            }

            var plaintext = new CryptoStream(file.Content, _cipher.CreateDecryptor(iv), CryptoStreamMode.Read, leaveOpen: false);
            // The plaintext's length is known only at its end (the padding is 1 to 16 bytes).
            return new StoredFile(new DecryptingStream(plaintext, bucket, location), null);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
