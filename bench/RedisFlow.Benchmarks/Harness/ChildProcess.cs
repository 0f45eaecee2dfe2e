using System.Diagnostics;
using System.Text;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>Runs an external program (redis-benchmark, npm, node) to completion with a time limit and captures its output.</summary>
public static class ChildProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>How every child of the benchmark is started: all three standard streams redirected, no shell.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    public static async Task<Outcome> RunAsync(string program, IEnumerable<string> args, string? workingDirectory, TimeSpan limit, CancellationToken ct)
    {
        var info = StartInfo(program, args, workingDirectory);
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds:0} s.");
        }

        // WaitForExitAsync returns once the redirected streams are drained too.
        lock (stdout)
        {
            lock (stderr)
            {
                return new Outcome(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }
}
