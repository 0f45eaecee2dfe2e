using System.Diagnostics;
using RedisFlow.Transport;
using StackExchange.Redis;

namespace RedisFlow.Diagnostics;

/// <summary>
/// The W3C trace context a produce adds to its stream entry after <c>message</c>: nothing unless the produce span
/// is recorded, so an untraced entry stays byte-identical to RAGFlow's <c>{"message": ...}</c>.
/// </summary>
internal readonly record struct TraceFields(string? Parent, string? State)
{
    /// <summary>No trace context: the entry is <c>message</c> alone.</summary>
    public static TraceFields None => default;

    /// <summary>How many extra XADD arguments (names and values) these fields add.</summary>
    public int ArgCount => Parent is null ? 0 : State is null ? 2 : 4;

    /// <summary>The fields of <paramref name="activity"/> when it is recorded (sampled); none otherwise.</summary>
    public static TraceFields Of(Activity? activity) =>
        activity is { Recorded: true, IdFormat: ActivityIdFormat.W3C }
            ? new TraceFields(activity.Id, string.IsNullOrEmpty(activity.TraceStateString) ? null : activity.TraceStateString)
            : None;

    /// <summary>Reads the trace fields of a stream entry (null members when absent).</summary>
    public static TraceFields Read(NameValueEntry[] fields)
    {
        string? parent = null, state = null;
        foreach (var field in fields)
        {
            if (field.Name == RedisFlowInstrumentation.TraceParentField)
            {
                parent = field.Value;
            }
            else if (field.Name == RedisFlowInstrumentation.TraceStateField)
            {
                state = field.Value;
            }
        }

        return new TraceFields(parent, state);
    }

    /// <summary>The entry's fields for StackExchange.Redis: <c>message</c> first, then the trace context.</summary>
    public NameValueEntry[] Entry(string messageField, byte[] json)
    {
        var entry = new NameValueEntry[1 + (ArgCount / 2)];
        entry[0] = new NameValueEntry(messageField, json);
        if (Parent is not null)
        {
            entry[1] = new NameValueEntry(RedisFlowInstrumentation.TraceParentField, Parent);
        }

        if (State is not null)
        {
            entry[2] = new NameValueEntry(RedisFlowInstrumentation.TraceStateField, State);
        }

        return entry;
    }

    /// <summary>Writes the trace context arguments after <c>message</c> on the lean transport.</summary>
    public void WriteTo(RespWriter writer)
    {
        if (Parent is not null)
        {
            writer.Arg(RedisFlowInstrumentation.TraceParentField).Arg(Parent);
        }

        if (State is not null)
        {
            writer.Arg(RedisFlowInstrumentation.TraceStateField).Arg(State);
        }
    }
}
