namespace RedisFlow.Cluster;

/// <summary>
/// How <see cref="RedisHashSlot.FindTag"/> spells the tags it tries: the first tag of the format (in counting order)
/// that lands in the wanted slot is the answer, so each format always names the same key the same way.
/// </summary>
public enum HashTagFormat
{
    /// <summary>Decimal numbers <c>0</c>, <c>1</c>, … (the lock's fencing and waiter keys).</summary>
    Decimal,

    /// <summary>Lowercase base-36 numbers <c>0</c> … <c>9</c>, <c>a</c> … <c>z</c>, <c>10</c>, … (the file cache's claim and temporary keys).</summary>
    Base36,
}
