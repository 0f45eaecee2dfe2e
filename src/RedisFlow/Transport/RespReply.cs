using System.Text;

namespace RedisFlow.Transport;

/// <summary>The kinds of RESP2 reply the lean connection reads.</summary>
internal enum RespKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}

/// <summary>One RESP2 reply: a simple string, an error, an integer, a bulk string, an array, or null.</summary>
internal sealed class RespReply
{
    public static RespReply NullReply { get; } = new(RespKind.Null);

    private RespReply(RespKind kind) => Kind = kind;

    public RespKind Kind { get; }

    /// <summary>The text of a simple string or error.</summary>
    public string? Text { get; private init; }

    public long Integer { get; private init; }

    /// <summary>The bytes of a bulk string.</summary>
    public byte[]? Bulk { get; private init; }

    public RespReply[]? Items { get; private init; }

    public bool IsError => Kind == RespKind.Error;

    public static RespReply Simple(string text) => new(RespKind.SimpleString) { Text = text };

    public static RespReply Error(string text) => new(RespKind.Error) { Text = text };

    public static RespReply Number(long value) => new(RespKind.Integer) { Integer = value };

    public static RespReply BulkString(byte[] value) => new(RespKind.BulkString) { Bulk = value };

    public static RespReply Array(RespReply[] items) => new(RespKind.Array) { Items = items };

    /// <summary>A bulk or simple string as text (UTF-8); null otherwise.</summary>
    public string? AsString() => Kind switch
    {
        RespKind.BulkString => Encoding.UTF8.GetString(Bulk!),
        RespKind.SimpleString => Text,
        _ => null,
    };

    /// <summary>Whether the error reply starts with <paramref name="prefix"/> (such as <c>MOVED</c>).</summary>
    public bool IsErrorOf(string prefix) => IsError && Text!.StartsWith(prefix, StringComparison.Ordinal);
}
