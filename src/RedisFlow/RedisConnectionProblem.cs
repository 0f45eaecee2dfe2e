namespace RedisFlow;

/// <summary>
/// Why Redis cannot be used as configured, in words an operator can act on: the setting to fix and what is wrong.
/// Never holds a password. See <see cref="RedisDb.LastProblem"/>.
/// </summary>
/// <param name="Setting">The configuration setting to fix, for example <c>Redis:Password</c>.</param>
/// <param name="Message">What went wrong and how to fix it, naming the setting and the CLI flag.</param>
public sealed record RedisConnectionProblem(string Setting, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
