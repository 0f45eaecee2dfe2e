using RedisFlow.Diagnostics;

namespace RedisFlow.Locking;

public sealed partial class RedisDistributedLock
{
    // When the current hold began (Stopwatch timestamp), 0 when not held or not measured.
    private long _heldSince;

    /// <summary>The acquire with its span and wait measurement when something listens; the bare acquire otherwise.</summary>
    private Task<bool> AcquireObservedAsync(TimeSpan wait, bool renew, CancellationToken ct) =>
        LockTelemetry.Enabled ? AcquireTracedAsync(wait, renew, ct) : AcquireCoreAsync(wait, renew, ct);

    private async Task<bool> AcquireTracedAsync(TimeSpan wait, bool renew, CancellationToken ct)
    {
        using var span = LockTelemetry.Start(RedisFlowInstrumentation.LockAcquireSpan, _keys.LockKey);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var acquired = false;
        try
        {
            acquired = await AcquireCoreAsync(wait, renew, ct).ConfigureAwait(false);
            return acquired;
        }
        finally
        {
            LockTelemetry.Acquired(span, _keys.LockKey, started, acquired);
        }
    }
}
