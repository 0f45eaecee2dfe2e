using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Paddings;
using Org.BouncyCastle.Crypto.Parameters;

namespace RedisFlow.Storage.Encryption;

/// <summary>
/// SM4-CBC with PKCS7 padding (BouncyCastle) as an <see cref="ICryptoTransform"/>, so it streams through .NET's
/// <see cref="CryptoStream"/> exactly like AES does.
/// </summary>
internal sealed class Sm4CbcDecryptor : ICryptoTransform
{
    private readonly PaddedBufferedBlockCipher _cipher;

    public Sm4CbcDecryptor(byte[] key, byte[] iv)
    {
        _cipher = new PaddedBufferedBlockCipher(new CbcBlockCipher(new SM4Engine()), new Pkcs7Padding());
        _cipher.Init(false, new ParametersWithIV(new KeyParameter(key), iv));
    }

    public int InputBlockSize => 16;

    public int OutputBlockSize => 16;

    public bool CanTransformMultipleBlocks => true;

    public bool CanReuseTransform => false;

    public int TransformBlock(byte[] inputBuffer, int inputOffset, int inputCount, byte[] outputBuffer, int outputOffset) =>
        // The padded cipher keeps the last block back until the final call, which checks the padding.
        _cipher.ProcessBytes(inputBuffer, inputOffset, inputCount, outputBuffer, outputOffset);

    public byte[] TransformFinalBlock(byte[] inputBuffer, int inputOffset, int inputCount)
    {
        try
        {
            return _cipher.DoFinal(inputBuffer, inputOffset, inputCount);
        }
        catch (InvalidCipherTextException ex)
        {
            throw new CryptographicException("SM4-CBC padding is invalid.", ex);
        }
        catch (DataLengthException ex)
        {
            throw new CryptographicException("SM4-CBC ciphertext is not a whole number of blocks.", ex);
        }
    }

    public void Dispose()
    {
    }
}
