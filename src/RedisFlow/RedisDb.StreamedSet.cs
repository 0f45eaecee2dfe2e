using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RedisFlow.Transport;

namespace RedisFlow;

/// <summary>Large values sent as one command, piece by piece, without holding them in memory.</summary>
public sealed partial class RedisDb
{
    /// <summary>
    /// Stores <paramref name="length"/> bytes read from <paramref name="content"/> as the value of <paramref name="key"/>
    /// with one <c>SET ... PX</c> (<c>NX</c> when <paramref name="onlyIfAbsent"/>), streamed through
    /// <paramref name="buffer"/> over a connection of its own to the key's server. Redis runs the command only once its
    /// last byte arrived, so readers never see part of the value, and a copy that fails half-way stores nothing (its
    /// connection is closed). Memory stays at the buffer's size whatever the value's, and Redis takes the bytes straight
    /// into the value: a value built from <c>APPEND</c>s costs it about twice the CPU per byte (see BENCHMARKS.md).
    /// </summary>
    /// <param name="key">The key to store.</param>
    /// <param name="content">The value's bytes, read from its current position.</param>
    /// <param name="length">How many bytes the value has; the content must have exactly that many.</param>
    /// <param name="ttl">The time-to-live.</param>
    /// <param name="onlyIfAbsent">Store only if the key does not exist.</param>
    /// <param name="buffer">The copy buffer; its size is the largest piece read and written at a time.</param>
    /// <param name="ct">Cancels the call: the copy stops, its connection is closed and nothing is stored.</param>
    /// <returns>What was done; <see cref="StreamedSetResult.Unavailable"/> when the call cannot run at all (see there).</returns>
    /// <exception cref="EndOfStreamException">The content ended before <paramref name="length"/> bytes; nothing was stored.</exception>
    /// <exception cref="InvalidDataException">The content has more than <paramref name="length"/> bytes; nothing was stored.</exception>
    /// <remarks>
    /// Not retried (a stream cannot be read twice). A failure of <paramref name="content"/> itself propagates, after the
    /// connection is closed. Each write is bounded by half the operation timeout, and the reply by the operation timeout.
    /// </remarks>
    public async Task<StreamedSetResult> SetStreamedAsync(string key, Stream content, long length, TimeSpan ttl, bool onlyIfAbsent, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The copy buffer must not be empty.", nameof(buffer));
        }

        ct.ThrowIfCancellationRequested();
        if (IdentityBlocksCalls || LeanTransportOrNull() is not { } transport)
        {
            return StreamedSetResult.Unavailable;
        }

        var started = Stopwatch.GetTimestamp();
        LeanConnection? connection;
        try
        {
            connection = await transport.RentBulkAsync(key, ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            return StreamedFailed(key, started, ex.Message);
        }

        if (connection is null)
        {
            return StreamedSetResult.Unavailable;
        }

        var clean = false;
        try
        {
            var writer = connection.Writer;
            writer.Begin(onlyIfAbsent ? 6 : 5).Arg("SET").Arg(key).BulkHeader(length);
            if (!await TrySendAsync(connection, writer.WrittenMemory, ct).ConfigureAwait(false))
            {
                return StreamedFailed(key, started, "the connection failed");
            }

            for (long sent = 0; sent < length;)
            {
                var read = await content.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - sent)], ct).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException($"The content for '{key}' ended after {sent} of {length} bytes; nothing was stored.");
                }

                if (!await TrySendAsync(connection, buffer[..read], ct).ConfigureAwait(false))
                {
                    return StreamedFailed(key, started, "the connection failed");
                }

                sent += read;
            }

            if (await content.ReadAsync(buffer[..1], ct).ConfigureAwait(false) != 0)
            {
                throw new InvalidDataException($"The content for '{key}' is longer than the {length} bytes announced; nothing was stored.");
            }

            writer.Continue().EndBulk().Arg("PX").Arg((long)Math.Ceiling(ttl.TotalMilliseconds));
            if (onlyIfAbsent)
            {
                writer.Arg("NX");
            }

            if (!await TrySendAsync(connection, writer.WrittenMemory, ct).ConfigureAwait(false))
            {
                return StreamedFailed(key, started, "the connection failed");
            }

            RespReply reply;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(_options.OperationTimeout);
                try
                {
                    reply = await connection.ReadReplyAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (LeanTransport.IsConnectionFailure(ex) && !ct.IsCancellationRequested)
                {
                    return StreamedFailed(key, started, ex is OperationCanceledException ? "no reply within the operation timeout" : "the connection failed");
                }
            }

            clean = true;
            if (reply.IsError)
            {
                return StreamedFailed(key, started, reply.Text ?? "an error reply");
            }

            return reply.Kind == RespKind.SimpleString ? StreamedSetResult.Stored : StreamedSetResult.NotStored;
        }
        finally
        {
            transport.ReturnBulk(connection, clean);
        }
    }

    /// <summary>Writes to the bulk connection; false when it failed (the caller answers Failed; the connection is closed on return).</summary>
    private static async Task<bool> TrySendAsync(LeanConnection connection, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        try
        {
            await connection.WriteAsync(bytes, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (LeanTransport.IsConnectionFailure(ex) && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private StreamedSetResult StreamedFailed(string key, long started, string why)
    {
        Diagnostics.RedisFlowMetrics.RecordFailure(nameof(SetStreamedAsync));
        Log.StreamedSetFailed(_logger, key, why, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return StreamedSetResult.Failed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1030, EventName = "RedisStreamedSetFailed", Level = LogLevel.Warning,
            Message = "RedisDb.SetStreamedAsync for key '{Key}' stored nothing after {ElapsedMs} ms: {Reason}")]
        public static partial void StreamedSetFailed(ILogger logger, string key, string reason, long elapsedMs);
    }
}
