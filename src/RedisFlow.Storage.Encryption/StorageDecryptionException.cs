namespace RedisFlow.Storage.Encryption;

/// <summary>
/// A stored object begins with RAGFlow's encryption prefix but cannot be decrypted: a wrong key or a corrupt or
/// truncated file. The message names the object and the setting to check, never the key.
/// </summary>
public sealed class StorageDecryptionException : IOException
{
    /// <summary>Creates the exception for one object.</summary>
    public StorageDecryptionException(string bucket, string location, string problem, Exception? inner = null)
        : base($"'{bucket}/{location}' cannot be decrypted ({problem}): check {RagflowCryptoOptions.SectionName}:Key / RAGFLOW_CRYPTO_KEY " +
               $"and {RagflowCryptoOptions.SectionName}:Algorithm / RAGFLOW_CRYPTO_ALGORITHM, or the file is corrupt.", inner)
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public StorageDecryptionException()
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public StorageDecryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public StorageDecryptionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
