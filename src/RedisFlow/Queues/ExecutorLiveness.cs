namespace RedisFlow.Queues;

/// <summary>
/// Which owners of idle entries a claim pass may take from: anyone not registered in <c>TASKEXE</c> (the existing
/// rule: idle long enough means stalled), and registered executors whose heartbeat is older than the timeout or
/// gone. A RAGFlow executor does not keep its long tasks' entries alive, so for it idle time says nothing; its
/// heartbeat does. One instance per claim pass: the registry is read once, each executor's heartbeat at most once,
/// and only when an idle entry of another consumer was found (an idle worker reads neither).
/// </summary>
internal sealed class ExecutorLiveness(ExecutorFleet fleet, TimeSpan timeout, string self)
{
    private readonly Dictionary<string, bool> _claimable = new(StringComparer.Ordinal);
    private readonly double _now = ExecutorFleet.NowSeconds();
    private IReadOnlySet<string>? _members;
    private bool _membersRead;

    /// <summary>Whether an idle entry pending at <paramref name="owner"/> may be claimed now.</summary>
    public async ValueTask<bool> MayClaimFromAsync(string owner, CancellationToken ct)
    {
        if (timeout == TimeSpan.Zero || owner == self)
        {
            return true;
        }

        if (_claimable.TryGetValue(owner, out var known))
        {
            return known;
        }

        if (!_membersRead)
        {
            _members = await fleet.MembersAsync(ct).ConfigureAwait(false);
            _membersRead = true;
        }

        bool claimable;
        if (_members is null)
        {
            // The registry could not be read: its members cannot be told apart from the rest, so nobody's entries
            // are taken this pass (Redis is failing anyway; the next pass decides).
            claimable = false;
        }
        else if (!_members.Contains(owner))
        {
            claimable = true;
        }
        else
        {
            var (ok, score) = await fleet.LastHeartbeatAsync(owner, ct).ConfigureAwait(false);
            claimable = ok && ExecutorFleet.IsExpired(score, _now, timeout);
        }

        _claimable[owner] = claimable;
        return claimable;
    }
}
