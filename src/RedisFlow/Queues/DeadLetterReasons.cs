namespace RedisFlow.Queues;

/// <summary>The reasons RedisFlow itself gives when it dead-letters an entry.</summary>
public static class DeadLetterReasons
{
    /// <summary>The entry has no <c>message</c> field.</summary>
    public const string MissingMessage = "missing-message-field";

    /// <summary>
    /// The <c>message</c> field is not JSON: not valid UTF-8, not JSON even with Python's <c>NaN</c>/<c>Infinity</c>,
    /// or nested deeper than <see cref="PythonJson.MaxDepth"/>.
    /// </summary>
    public const string InvalidJson = "invalid-json";

    /// <summary>The <c>message</c> field is larger than <see cref="RedisDbOptions.MaxMessageBytes"/>.</summary>
    public const string MessageTooLarge = "message-too-large";

    /// <summary>The entry was delivered more times than allowed.</summary>
    public const string TooManyDeliveries = "max-deliveries-exceeded";
}
