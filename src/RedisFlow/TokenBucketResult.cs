namespace RedisFlow;

/// <summary>The answer of <see cref="RedisDb.TokenBucketAsync"/>.</summary>
/// <param name="Allowed">Whether the request may go ahead (its cost was taken from the bucket).</param>
/// <param name="Tokens">
/// The tokens left, truncated to an integer as Redis converts a Lua number (the bucket itself keeps the fraction).
/// </param>
public readonly record struct TokenBucketResult(bool Allowed, long Tokens);
