using System.Collections.Concurrent;
using RedisFlow.Locking;

namespace RedisFlow.Tests.Locking;

/// <summary>Owner tokens of locks created without a value: GUID-shaped and never repeated, from any thread.</summary>
public sealed class LockTokensTests
{
    [Fact]
    public void Tokens_are_guids_and_distinct_across_threads()
    {
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                var token = LockTokens.Next();
                Assert.True(Guid.TryParseExact(token, "D", out _), token);
                Assert.True(seen.TryAdd(token, 0), $"{token} was issued twice");
            }
        });

        Assert.Equal(100_000, seen.Count);
    }

    [Fact]
    public void Tokens_of_one_process_share_their_random_part_and_differ_in_the_counter()
    {
        var first = LockTokens.Next();
        var second = LockTokens.Next();
        Assert.NotEqual(first, second);
        // Different processes differ in their first 8 bytes, drawn at random once per process: the same process keeps them.
        Assert.Equal(first[..18], second[..18]);
    }
}
