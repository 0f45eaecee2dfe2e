using System.Diagnostics;
using System.Globalization;
using RedisFlow.Testing.Artifacts;

namespace RedisFlow.Testing.Processes;

/// <summary>
/// The one way the tests and the benchmark start another program: no shell, output and error redirected and kept
/// (for assertions and for error messages), bounded waits, signals sent with kill(1), and the whole process tree
/// killed when disposed or when the parent exits, so a failed or cancelled run leaves no child behind.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private static readonly List<ChildProcess> Live = [];
    private readonly Process _process;
    private readonly ChildProcessOptions _options;
    private readonly OutputLog _output;
    private readonly OutputLog _error;
    private Task _pumps = Task.CompletedTask;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Live)
            {
                foreach (var child in Live)
                {
                    child.KillQuietly();
                }
            }
        };
    }

    private ChildProcess(Process process, ChildProcessOptions options)
    {
        _process = process;
        _options = options;
        Name = options.Name ?? Path.GetFileName(process.StartInfo.FileName);
        _output = new OutputLog(options.KeepTail, TestArtifacts.NewFile("processes", Name + ".stdout"));
        _error = new OutputLog(options.KeepTail, TestArtifacts.NewFile("processes", Name + ".stderr"));
    }

    /// <summary>A short name for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the child wrote to standard output so far.</summary>
    public string Output => _output.Text;

    /// <summary>The lines the child wrote to standard output so far (a line still being written is left out until it ends).</summary>
    public IReadOnlyList<string> Lines => _output.Lines(ended: _pumps.IsCompleted);

    /// <summary>What the child wrote to standard error so far.</summary>
    public string Error => _error.Text;

    /// <summary>Both streams, for error messages.</summary>
    public string Transcript => $"stdout: {Output}stderr: {Error}";

    /// <summary>
    /// How a child is started: no shell, standard output and error redirected, input as
    /// <see cref="ChildProcessOptions.RedirectInput"/> says. Callers that drive the streams themselves (a
    /// line-protocol peer) start a <see cref="Process"/> from it; everyone else uses <see cref="Start"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, ChildProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        options ??= ChildProcessOptions.Default;
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.RedirectInput,
            UseShellExecute = false,
        };
        if (options.WorkingDirectory is not null)
        {
            info.WorkingDirectory = options.WorkingDirectory;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (options.WithoutInherited is { } drop)
        {
            foreach (var key in info.Environment.Keys.Where(drop).ToList())
            {
                info.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in options.Environment ?? [])
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/>; its output is collected from now on.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started (not installed).</exception>
    public static ChildProcess Start(string program, IEnumerable<string> args, ChildProcessOptions? options = null)
    {
        options ??= ChildProcessOptions.Default;
        var process = new Process { StartInfo = StartInfo(program, args, options) };
        var child = new ChildProcess(process, options);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        child._pumps = Task.WhenAll(child._output.PumpAsync(process.StandardOutput), child._error.PumpAsync(process.StandardError));
        lock (Live)
        {
            Live.Add(child);
        }

        return child;
    }

    /// <summary>Writes <paramref name="input"/> to the child's standard input and closes it (the child reads to its end).</summary>
    public async Task WriteInputAsync(ReadOnlyMemory<byte> input, CancellationToken ct = default)
    {
        if (!input.IsEmpty)
        {
            await _process.StandardInput.BaseStream.WriteAsync(input, ct).ConfigureAwait(false);
        }

        _process.StandardInput.Close();
    }

    /// <summary>
    /// Waits for the child to exit on its own, at most <paramref name="limit"/>; past that it is killed and a
    /// <see cref="TimeoutException"/> names it with what it wrote.
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Name} {string.Join(' ', _process.StartInfo.ArgumentList)} did not exit within {limit.TotalSeconds:0.#} s. {Transcript}");
        }

        await OutputEndAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, HUP...) with kill(1), as systemd, docker stop or a terminal would.</summary>
    public async Task SignalAsync(string signal, CancellationToken ct = default)
    {
        if (_process.HasExited)
        {
            return;
        }

        await RunAsync("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30), ct: ct).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/> for the exit, kills the tree past that, and disposes.</summary>
    public async Task StopAsync(string signal, TimeSpan grace)
    {
        try
        {
            await SignalAsync(signal).ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(grace);
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Still running, or no kill program: killed below.
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the process tree (SIGKILL), as a crash would, and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        KillQuietly();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Kills the child if it still runs, and removes its own working folder.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (Live)
        {
            Live.Remove(this);
        }

        if (!HasExitedOrNeverStarted())
        {
            try
            {
                await KillAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Did not go within 10 s of SIGKILL: nothing more a test can do.
            }
        }

        _process.Dispose();
        if (_options.OwnsWorkingDirectory && _options.WorkingDirectory is { } folder)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Still in use; the OS cleans temp folders.
            }
        }
    }

    /// <summary>
    /// Waits (at most 10 s) for the child's output to end after its exit, so nothing it wrote last is missed; a
    /// grandchild that inherited the pipes can hold them open, and is not waited for past that.
    /// </summary>
    private async Task OutputEndAsync()
    {
        try
        {
            await _pumps.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Keep what arrived.
        }
    }

    private bool HasExitedOrNeverStarted()
    {
        try
        {
            return _process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
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
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Not started, already gone, or exiting right now.
        }
    }
}
