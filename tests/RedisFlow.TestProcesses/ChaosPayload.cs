using System.Globalization;
using System.Text;

namespace RedisFlow.TestProcesses;

/// <summary>
/// The body of chaos-run entry <c>n</c>, derived from the run's seed: the producer sends it and the worker recomputes
/// it, so a corrupted entry is caught without either side keeping the payloads in memory.
/// </summary>
public static class ChaosPayload
{
    /// <summary>16 to 527 characters, the same for the same seed and n.</summary>
    public static string Body(int seed, long n)
    {
        var random = new Random(Mix(seed, n));
        var builder = new StringBuilder(n.ToString(CultureInfo.InvariantCulture)).Append(':');
        var length = 16 + random.Next(512);
        while (builder.Length < length)
        {
            // Printable ASCII plus some multi-byte characters: UTF-8 must round-trip too.
            builder.Append(random.Next(20) == 0 ? 'é' : (char)random.Next(32, 127));
        }

        return builder.ToString();
    }

    /// <summary>
    /// A seed for <see cref="Random"/> from two numbers, the same in every process (<see cref="HashCode"/> is
    /// randomised per process, so the producer and a worker would disagree): SplitMix64's finaliser.
    /// </summary>
    public static int Mix(long a, long b)
    {
        var z = unchecked(((ulong)a * 0x9E3779B97F4A7C15UL) ^ (ulong)b);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }
}
