using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RedisFlow.Locking;

/// <summary>
/// Owner tokens for locks created without a value: GUID-shaped like the seed's <c>str(uuid.uuid4())</c>, unique
/// across processes (64 random bits drawn once per process) and within one (a 64-bit counter).
/// </summary>
/// <remarks>
/// <see cref="Guid.NewGuid"/> asks the kernel for random bytes on every call: on this project's 2-core test
/// machine that system call was most of a lock's construction (1.4-1.7 us of 1.7-2.5 us, one thread), and a lock
/// is usually created per use. A token only has to be unique: anyone who can reach Redis can delete the key
/// anyway, so it guards against mistakes, not against an attacker.
/// </remarks>
internal static class LockTokens
{
    private static readonly ulong ProcessPart = RandomPart();
    private static long _counter = RandomCounterStart();

    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ProcessPart);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], Interlocked.Increment(ref _counter));
        return new Guid(bytes).ToString();
    }

    private static ulong RandomPart()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    // A random start as well, so two processes that drew the same 64 bits (about 1 in 2^64) still differ.
    private static long RandomCounterStart()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes) & (long.MaxValue >> 1);
    }
}
