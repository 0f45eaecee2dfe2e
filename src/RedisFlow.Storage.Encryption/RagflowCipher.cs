using System.Security.Cryptography;
using System.Text;

namespace RedisFlow.Storage.Encryption;

/// <summary>
/// RAGFlow's storage encryption (its <c>common/crypto_utils.py</c>): <c>"RAGF"</c>, a 16-byte IV, then the CBC
/// ciphertext with PKCS7 padding; the cipher key is PBKDF2-HMAC-SHA256 of the UTF-8 key text with the salt
/// <c>ragflow_crypto_salt</c> and 100,000 iterations, 32 bytes for aes-256-cbc, 16 for aes-128-cbc and sm4-cbc.
/// </summary>
/// <remarks>
/// CBC with PKCS7 carries no integrity check: with a wrong key about one file in 256 still ends in valid padding and
/// decrypts to garbage without any error (RAGFlow's own daemon caches it the same way). Only a padding error is seen.
/// </remarks>
internal sealed class RagflowCipher
{
    /// <summary>The prefix of an encrypted object.</summary>
    public static ReadOnlySpan<byte> Magic => "RAGF"u8;

    /// <summary>The IV length after the prefix (one block for all three algorithms).</summary>
    public const int IvLength = 16;

    private const int Iterations = 100_000;

    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("ragflow_crypto_salt");

    private readonly byte[] _key;

    public RagflowCipher(string algorithm, string key)
    {
        Algorithm = algorithm;
        var length = algorithm == "aes-256-cbc" ? 32 : 16;
        // Derived once per process: 100,000 iterations cost tens of milliseconds.
        _key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(key), Salt, Iterations, HashAlgorithmName.SHA256, length);
    }

    public string Algorithm { get; }

    /// <summary>A decrypting transform for one object, given the IV read after its prefix.</summary>
    public ICryptoTransform CreateDecryptor(byte[] iv)
    {
        if (Algorithm == "sm4-cbc")
        {
            return new Sm4CbcDecryptor(_key, iv);
        }

        using var aes = Aes.Create();
        aes.Mode = CipherMode.CBC;
        aes.Padding = PaddingMode.PKCS7;
        return aes.CreateDecryptor(_key, iv);
    }
}
