using System.Buffers.Text;
using System.Text;

namespace RedisFlow.Transport;

/// <summary>
/// Builds one RESP command (an array of bulk strings) in a reusable buffer. Owned by one
/// <see cref="LeanConnection"/> and used by one caller at a time, so it allocates only when a command outgrows it.
/// </summary>
internal sealed class RespWriter
{
    private byte[] _buffer = new byte[512];
    private int _length;

    /// <summary>The command written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>The command written so far, for an asynchronous write (valid until the next command is written).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Starts a command of <paramref name="arguments"/> parts (the command name counts as one).</summary>
    public RespWriter Begin(int arguments)
    {
        _length = 0;
        WriteByte((byte)'*');
        WriteInteger(arguments);
        WriteNewLine();
        return this;
    }

    /// <summary>Starts a buffer that continues a command already partly sent (no array header).</summary>
    public RespWriter Continue()
    {
        _length = 0;
        return this;
    }

    /// <summary>The header of a bulk argument whose <paramref name="length"/> bytes are sent separately (streamed).</summary>
    public RespWriter BulkHeader(long length)
    {
        WriteByte((byte)'$');
        WriteInteger(length);
        WriteNewLine();
        return this;
    }

    /// <summary>Ends a streamed bulk argument (its CRLF).</summary>
    public RespWriter EndBulk()
    {
        WriteNewLine();
        return this;
    }

    public RespWriter Arg(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        BeginBulk(count);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        _length += count;
        WriteNewLine();
        return this;
    }

    public RespWriter Arg(ReadOnlySpan<byte> value)
    {
        BeginBulk(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        WriteNewLine();
        return this;
    }

    /// <summary>A value as Redis stores it, encoded straight into the buffer (a string value needs no byte array of its own).</summary>
    public RespWriter Arg(StackExchange.Redis.RedisValue value)
    {
        if (value.IsNull)
        {
            return Arg(ReadOnlySpan<byte>.Empty);
        }

        var count = value.GetByteCount();
        BeginBulk(count);
        _length += value.CopyTo(_buffer.AsSpan(_length, count));
        WriteNewLine();
        return this;
    }

    public RespWriter Arg(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        return Arg(digits[..written]);
    }

    private void BeginBulk(int count)
    {
        Ensure(count + 32);
        WriteByte((byte)'$');
        WriteInteger(count);
        WriteNewLine();
    }

    private void WriteInteger(long value)
    {
        Ensure(24);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var written);
        _length += written;
    }

    private void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void WriteNewLine()
    {
        Ensure(2);
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
