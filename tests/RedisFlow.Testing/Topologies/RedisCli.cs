using System.Diagnostics;
using RedisFlow.Embedded;

namespace RedisFlow.Testing.Topologies;

/// <summary>Runs the real <c>redis-cli</c> (for <c>--cluster create</c>), bounded in time.</summary>
public static class RedisCli
{
    /// <summary>Runs redis-cli with <paramref name="args"/>; returns its output, or throws with it when the exit code is not 0.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> args, TimeSpan limit, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(ExternalProgram.Require("redis-cli", "redis-tools"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("redis-cli did not start.");
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
            throw new TimeoutException($"redis-cli {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds:0} s.");
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"redis-cli {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {output}");
    }
}
