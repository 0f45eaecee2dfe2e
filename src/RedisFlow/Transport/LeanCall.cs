namespace RedisFlow.Transport;

/// <summary>
/// How one RedisDb operation runs on a lean connection: <see cref="Write"/> puts the command in the writer,
/// <see cref="Read"/> turns a non-error reply into the operation's result (false: hand the call to the multiplexer,
/// which is only safe for an operation that may run twice; lean calls are idempotent ones).
/// </summary>
internal sealed record LeanCall<TState, T>(Action<RespWriter, TState> Write, LeanRead<T> Read);

/// <summary>Turns a reply into a result; false when the reply is not of the expected shape.</summary>
internal delegate bool LeanRead<T>(RespReply reply, out T result);
