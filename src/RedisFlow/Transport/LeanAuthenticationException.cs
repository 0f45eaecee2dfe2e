namespace RedisFlow.Transport;

/// <summary>The server refused the lean connection's credentials (or it ended up as another user): the lean path is never used then.</summary>
internal sealed class LeanAuthenticationException : Exception
{
    public LeanAuthenticationException()
    {
    }

    public LeanAuthenticationException(string message)
        : base(message)
    {
    }

    public LeanAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
