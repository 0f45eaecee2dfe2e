using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace RedisFlow.Testing.Servers;

/// <summary>
/// A server started as a child process for tests (database, storage emulator): its output is kept for error
/// messages, readiness is polled with a deadline, and it is stopped with a signal, then killed if it lingers.
/// Servers still running when the test process exits are killed.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly List<ServerProcess> Live = [];
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Live)
            {
                foreach (var server in Live)
                {
                    server.KillQuietly();
                }
            }
        };
    }

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>A short name for messages, for example <c>mariadbd</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static ServerProcess Start(string name, string file, IEnumerable<string> args, string workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Live)
        {
            Live.Add(server);
        }

        return server;
    }

    /// <summary>Runs <paramref name="file"/> to completion (an install or init step) and throws with its output when it fails.</summary>
    public static async Task RunAsync(string file, IEnumerable<string> args, string workingDirectory, TimeSpan limit, CancellationToken ct)
    {
        await using var step = Start(Path.GetFileName(file), file, args, workingDirectory);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await step._process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{step.Name} did not finish within {limit.TotalSeconds} s: {step.Output}");
        }

        step._process.WaitForExit(); // flushes the redirected output
        if (step._process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{step.Name} failed with exit code {step._process.ExitCode}: {step.Output}"));
        }
    }

    /// <summary>
    /// How long a server may take to answer after its start: generous, because on a loaded 2-core machine a Node.js
    /// emulator or a database's first start can take tens of seconds.
    /// </summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Polls <paramref name="ready"/> every 50 ms until it answers true; throws with the server's output when the
    /// process exits or <paramref name="limit"/> passes first.
    /// </summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> ready, TimeSpan limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Name} exited with code {_process.ExitCode} while starting: {Output}"));
            }

            if (await ready(ct).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        KillQuietly();
        throw new TimeoutException($"{Name} was not ready within {limit.TotalSeconds} s: {Output}");
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (for example <c>TERM</c>, or <c>INT</c> for PostgreSQL's fast shutdown) and
    /// waits up to <paramref name="grace"/> for the exit; kills the process tree past that.
    /// </summary>
    public async Task StopAsync(string signal, TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
                if (kill is not null)
                {
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill program: fall through to Process.Kill.
            }

            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillQuietly();
            }
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process tree (SIGKILL), as a crash would, and waits for it.</summary>
    public async Task KillAsync()
    {
        KillQuietly();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (Live)
        {
            Live.Remove(this);
        }

        KillQuietly();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: a chatty server must not grow the test process without bound.
            if (_output.Length > 64 * 1024)
            {
                _output.Remove(0, _output.Length - (32 * 1024));
            }

            _output.AppendLine(line);
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }
    }
}
