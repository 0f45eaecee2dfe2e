namespace RedisFlow;

/// <summary>
/// Redis could not answer a call that must not fall back to a default answer (for example
/// <see cref="RedisDb.GetOrCreateSecretKeyAsync"/>: a secret must never silently differ between processes).
/// The message names the method, never a value; the warning logged before it names the cause.
/// </summary>
public sealed class RedisUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="method"/>.</summary>
    public RedisUnavailableException(string method, string? problem)
        : base($"Redis could not answer {method}{(problem is null ? "." : ": " + problem)}")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public RedisUnavailableException()
        : base("Redis could not answer.")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public RedisUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a plain message and its cause.</summary>
    public RedisUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
