using System.Diagnostics;

namespace RedisFlow.Testing;

/// <summary>Runs an external program to completion, bounded in time, and answers its output.</summary>
public static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/>; returns its standard output (followed by its
    /// standard error when <paramref name="mergeStandardError"/>), or throws with both when the exit code is not 0.
    /// </summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, TimeSpan limit, bool mergeStandardError = true, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var name = Path.GetFileName(program);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds:0} s.");
        }

        var (output, errors) = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        return process.ExitCode == 0
            ? (mergeStandardError ? output + errors : output)
            : throw new InvalidOperationException($"{name} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {output}{errors}");
    }
}
