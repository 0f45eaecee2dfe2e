using System.Buffers.Text;
using System.Text;

namespace RedisFlow.Transport;

/// <summary>
/// Reads RESP2 replies from a stream with blocking reads (the stream's read timeout bounds each one). Bytes past
/// the reply stay buffered, though a lean connection only ever has one reply in flight.
/// </summary>
internal sealed class RespReader
{
    /// <summary>Nesting deeper than any reply of the commands the lean connection sends.</summary>
    private const int MaxDepth = 8;

    /// <summary>Far above any reply the lean commands get (their reads ask for at most thousands of entries), so a corrupt count is refused before it is allocated.</summary>
    private const int MaxArrayItems = 1 << 24;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public RespReader(Stream stream) => _stream = stream;

    /// <summary>Whether bytes of a reply are already buffered (a read would not wait for the network).</summary>
    public bool HasBuffered => _end > _start;

    public RespReply Read() => Read(0);

    private RespReply Read(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("RESP reply nested too deeply.");
        }

        var line = ReadLine(out var prefix);
        switch (prefix)
        {
            case (byte)'+':
                return RespReply.Simple(Encoding.UTF8.GetString(line));
            case (byte)'-':
                return RespReply.Error(Encoding.UTF8.GetString(line));
            case (byte)':':
                return RespReply.Number(ParseInteger(line));
            case (byte)'$':
            {
                var length = ParseInteger(line);
                if (length < 0)
                {
                    return RespReply.NullReply;
                }

                if (length > Array.MaxLength)
                {
                    throw new InvalidDataException($"RESP bulk string of {length} bytes: longer than any array can hold.");
                }

                var bytes = ReadExact((int)length);
                return RespReply.BulkString(bytes);
            }

            case (byte)'*':
            {
                var count = ParseInteger(line);
                if (count < 0)
                {
                    return RespReply.NullReply;
                }

                if (count > MaxArrayItems)
                {
                    throw new InvalidDataException($"RESP array of {count} items: more than any reply to the lean connection's commands.");
                }

                var items = new RespReply[count];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = Read(depth + 1);
                }

                return RespReply.Array(items);
            }

            default:
                throw new InvalidDataException($"Unexpected RESP type byte 0x{prefix:x2}.");
        }
    }

    private static long ParseInteger(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long value, out var consumed) && consumed == text.Length
            ? value
            : throw new InvalidDataException("Malformed RESP integer.");

    /// <summary>The next line without its type byte and CRLF (valid until the next read).</summary>
    private ReadOnlySpan<byte> ReadLine(out byte prefix)
    {
        var scanned = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var cr = available.IndexOf((byte)'\r');
            if (cr >= 0 && _start + scanned + cr + 1 < _end)
            {
                var lineEnd = _start + scanned + cr;
                prefix = _buffer[_start];
                var line = _buffer.AsSpan(_start + 1, lineEnd - _start - 1);
                _start = lineEnd + 2;
                return line;
            }

            scanned = cr >= 0 ? scanned + cr : _end - _start;
            Fill();
        }
    }

    private byte[] ReadExact(int length)
    {
        var result = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end)
            {
                Fill();
            }

            var take = Math.Min(length - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }

        while (_end - _start < 2)
        {
            Fill();
        }

        _start += 2; // CRLF
        return result;
    }

    /// <summary>Reads more bytes after those buffered, compacting or growing the buffer first.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += read;
    }
}
