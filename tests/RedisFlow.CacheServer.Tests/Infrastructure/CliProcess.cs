using System.Diagnostics;
using System.Text;

namespace RedisFlow.CacheServer.Tests.Infrastructure;

/// <summary>
/// Runs the real <c>redisflow</c> command (RedisFlow.Cli.dll, built next to the tests) as a child process with its
/// own environment, collecting its output: how an operator starts the daemon.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static CliProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // An empty folder, so no appsettings.json of the developer's is picked up.
            WorkingDirectory = Directory.CreateTempSubdirectory("redisflow-serve-").FullName,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RedisFlow.Cli.dll"));
        // Only the test's settings: a developer's environment must not point the daemon elsewhere.
        foreach (var key in info.Environment.Keys.Where(IsRedisFlowSetting).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            // Configuration paths use ':'; environment variables use '__'.
            info.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends SIGTERM, as systemd or docker stop would.</summary>
    public async Task TerminateAsync(CancellationToken ct)
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(ct);
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"redisflow did not exit within {limit}. stdout: {Output} stderr: {Error}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>A field of <c>/proc/&lt;pid&gt;/status</c> in bytes (VmRSS, VmHWM).</summary>
    public long ProcStatusBytes(string field)
    {
        foreach (var line in File.ReadAllLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{_process.Id}/status");
    }

    /// <summary>Resets the peak resident set size (VmHWM) to the current one; false when the kernel refuses.</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        var folder = _process.StartInfo.WorkingDirectory;
        _process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Still in use; the OS cleans temp folders.
        }
    }

    private static bool IsRedisFlowSetting(string name) =>
        new[] { "Redis__", "TaskSource__", "Storage__", "Cache__", "Logging__" }.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}
