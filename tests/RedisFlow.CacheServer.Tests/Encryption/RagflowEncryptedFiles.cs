using RedisFlow.Testing;
using RedisFlow.Testing.Artifacts;

namespace RedisFlow.CacheServer.Tests.Encryption;

/// <summary>Writes files encrypted as RAGFlow stores them, by Python's <c>cryptography</c> (an independent implementation).</summary>
internal static class RagflowEncryptedFiles
{
    /// <summary>The key text the tests encrypt with.</summary>
    public static string Key => TestSecrets.RagflowCryptoKey;

    /// <summary>A fixed IV, so every run sees the same bytes (and a wrong key fails the same way every time).</summary>
    public const string IvHex = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Python", "ragflow_encrypt.py");

    /// <summary>Deterministic content of <paramref name="size"/> bytes.</summary>
    public static byte[] Content(int size, int seed = 7)
    {
        var bytes = new byte[size];
        new Random(seed + size).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> with <paramref name="algorithm"/> into <paramref name="target"/>.</summary>
    public static async Task EncryptAsync(string algorithm, byte[] plaintext, string target, CancellationToken ct)
    {
        var source = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(source, plaintext, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await PythonPeer.RunAsync(Script, [algorithm, Key, IvHex, source, target], ct);
        }
        finally
        {
            File.Delete(source);
        }
    }
}
