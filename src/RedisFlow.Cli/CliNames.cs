using RedisFlow.Queues;

namespace RedisFlow.Cli;

/// <summary>Checks names given on the command line before anything is sent, so a bad one is exit 2 naming the argument.</summary>
internal static class CliNames
{
    /// <summary>A non-empty name; <paramref name="what"/> names the argument or option, for example <c>the queue argument</c>.</summary>
    public static string Require(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new CliException($"{what} is empty", CommandRunner.ConfigurationError);
        }

        return value;
    }

    /// <summary>
    /// A queue name its dead-letter stream can share a hash slot with: a name with <c>}</c> but no hash tag
    /// (<c>a}b</c>) is refused here, not when the first poison entry arrives and cannot be dead-lettered.
    /// </summary>
    public static string Queue(string? value)
    {
        var name = Require(value, "the queue argument");
        try
        {
            _ = QueueKeys.DeadLetter(name);
        }
        catch (ArgumentException)
        {
            throw new CliException(
                $"the queue argument '{name}' has '}}' without a hash tag: its dead-letter stream could not share its hash slot. Rename the queue or give it a hash tag such as '{{name}}'.",
                CommandRunner.ConfigurationError);
        }

        return name;
    }
}
