using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RedisFlow.Benchmarks.Harness;

namespace RedisFlow.Benchmarks.Peers;

/// <summary>
/// A long-lived peer process spoken to one line at a time: it prints <c>READY ...</c> once connected, then answers
/// each command line with <c>RESULT {json}</c> or <c>ERROR message</c>; an empty line or <c>quit</c> ends it.
/// Both sides of the Python-peer rows (bench/python/seed_peer.py and the RedisFlow child) speak it, so each keeps its
/// connection and warm code across repetitions, and nothing but the command itself is timed.
/// </summary>
public sealed class LineProtocolPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private LineProtocolPeer(Process process) => _process = process;

    /// <summary>What the peer said after READY (its client library and version).</summary>
    public string Ready { get; private set; } = string.Empty;

    /// <summary>Starts the peer and waits for its READY line; <see cref="PeerUnavailableException"/> when it cannot start.</summary>
    public static async Task<LineProtocolPeer> StartAsync(string program, IEnumerable<string> args, string? workingDirectory, TimeSpan limit, CancellationToken ct)
    {
        var process = new Process { StartInfo = ChildProcess.StartInfo(program, args, new ChildProcessOptions { WorkingDirectory = workingDirectory, RedirectInput = true }) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new PeerUnavailableException($"{program} could not start: {ex.Message}", ex);
        }

        var peer = new LineProtocolPeer(process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (peer._stderr) { peer._stderr.AppendLine(e.Data); } } };
        process.BeginErrorReadLine();
        try
        {
            var line = await peer.ReadLineAsync(limit, ct).ConfigureAwait(false);
            if (!line.StartsWith("READY", StringComparison.Ordinal))
            {
                throw new PeerUnavailableException($"{Path.GetFileName(program)} did not start: {line} {peer.LastError()}");
            }

            peer.Ready = line[5..].Trim();
            return peer;
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends one command and returns its RESULT; <see cref="PeerUnavailableException"/> on ERROR, exit or timeout.</summary>
    public async Task<JsonElement> AskAsync(string command, TimeSpan limit, CancellationToken ct)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), ct).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(ct).ConfigureAwait(false);
        var line = await ReadLineAsync(limit, ct).ConfigureAwait(false);
        if (line.StartsWith("RESULT ", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(line[7..]);
            return doc.RootElement.Clone();
        }

        throw new PeerUnavailableException($"'{command.Split(' ')[0]}' failed: {line}");
    }

    /// <summary>Asks for a command whose result is <c>{"rate": n}</c>.</summary>
    public async Task<double> RateAsync(string command, TimeSpan limit, CancellationToken ct) =>
        (await AskAsync(command, limit, ct).ConfigureAwait(false)).GetProperty("rate").GetDouble();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                _process.StandardInput.Close();
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // It did not take "quit": end it (it is ours, started by StartAsync).
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task<string> ReadLineAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            return await _process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new PeerUnavailableException($"the peer exited: {LastError()}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PeerUnavailableException($"no answer within {limit.TotalSeconds:0} s: {LastError()}");
        }
    }

    private string LastError()
    {
        lock (_stderr)
        {
            return _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(nothing on stderr)";
        }
    }
}
