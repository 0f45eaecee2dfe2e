namespace RedisFlow.CacheServer.Tasks;

/// <summary>
/// The task database cannot be used right now: unreachable, credentials refused, database missing. The message names
/// the provider, host, database and user, never the password, so it can be logged as it is.
/// </summary>
public sealed class TaskSourceUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="provider"/> at <paramref name="target"/>.</summary>
    /// <param name="provider">The provider name, for example <c>mysql</c>.</param>
    /// <param name="target">Where it tried to connect, without secrets, for example <c>127.0.0.1:3306, database 'rag_flow', user 'root'</c>.</param>
    /// <param name="reason">What went wrong and how to fix it.</param>
    /// <param name="inner">The driver's exception.</param>
    public TaskSourceUnavailableException(string provider, string target, string reason, Exception? inner = null)
        : base($"The {provider} task database ({target}) is not usable: {reason}", inner)
    {
        Provider = provider;
        Target = target;
        Data["Provider"] = provider;
        Data["Target"] = target;
    }

    /// <summary>Creates the exception.</summary>
    public TaskSourceUnavailableException()
        : this("unknown", "unknown", "the database could not be used.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public TaskSourceUnavailableException(string message)
        : base(message)
    {
        Provider = Target = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public TaskSourceUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
        Provider = Target = string.Empty;
    }

    /// <summary>The provider name, for example <c>mysql</c> or <c>postgres</c>.</summary>
    public string Provider { get; }

    /// <summary>Host, port, database and user the provider tried, without the password.</summary>
    public string Target { get; }
}
