using StackExchange.Redis;

namespace RedisFlow.Locking;

/// <summary>Acquisitions confirmed by replicas (<see cref="RedisDbOptions.WaitForReplicas"/>).</summary>
public sealed partial class RedisDistributedLock
{
    /// <summary>
    /// The acquire script followed by <c>WAIT</c> (<see cref="RedisDbOptions.WaitForReplicas"/>), through the
    /// multiplexer. A lock taken but not confirmed by enough replicas is released at once: a promoted replica would
    /// not know it, so another holder could take it too. The attempt then counts as failed (the caller tries again
    /// until its deadline).
    /// </summary>
    private async Task<AcquireAttempt> TryOnceDurablyAsync(RedisValue[] args)
    {
        const string method = "RedisDistributedLock.Acquire";
        var written = await _db.ExecuteAsync<(RedisDistributedLock Lock, RedisValue[] Args), Replicated<RedisResult>?>(method, _keys.LockKey, (this, args),
            static async (db, s) => (Replicated<RedisResult>?)await s.Lock._db.WriteAndWaitAsync(db, s.Lock._keys.LockKey, s,
                static (d, x) => LockScripts.Acquire.EvaluateAsync(d, x.Lock._keys.Keys, x.Args)).ConfigureAwait(false),
            null, idempotent: true, CancellationToken.None).ConfigureAwait(false);
        if (written is not { } w)
        {
            return AcquireAttempt.Failed;
        }

        var attempt = ToAttempt(w.Reply);
        if (attempt.Outcome != AcquireOutcome.Acquired || _db.Confirmed(method, _keys.LockKey, w.Confirmed))
        {
            return attempt;
        }

        await ReleaseAsync().ConfigureAwait(false);
        return AcquireAttempt.Failed;
    }
}
