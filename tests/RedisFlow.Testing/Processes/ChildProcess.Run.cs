namespace RedisFlow.Testing.Processes;

/// <summary>Programs run to completion (tools, install steps): bounded in time, input closed, output answered.</summary>
public sealed partial class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="program"/> to its end, at most <paramref name="limit"/> (then it is killed and a
    /// <see cref="TimeoutException"/> thrown), with a closed standard input; answers its exit code and output.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(string program, IEnumerable<string> args, TimeSpan limit, ChildProcessOptions? options = null, CancellationToken ct = default)
    {
        var child = Start(program, args, (options ?? ChildProcessOptions.Default) with { RedirectInput = true });
        await using (child.ConfigureAwait(false))
        {
            child._process.StandardInput.Close();
            var exitCode = await child.WaitForExitAsync(limit, ct).ConfigureAwait(false);
            return new ChildProcessResult(exitCode, child.Output, child.Error);
        }
    }

    /// <summary>
    /// <see cref="RunAsync"/>, for a step that must succeed: answers its standard output (followed by its standard
    /// error when <paramref name="mergeStandardError"/>), or throws with both when the exit code is not 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">The program exited with another code than 0.</exception>
    public static async Task<string> RunToSuccessAsync(string program, IEnumerable<string> args, TimeSpan limit, ChildProcessOptions? options = null, bool mergeStandardError = true, CancellationToken ct = default)
    {
        var argList = args.ToList();
        var result = await RunAsync(program, argList, limit, options, ct).ConfigureAwait(false);
        return result.ExitCode == 0
            ? (mergeStandardError ? result.StandardOutput + result.StandardError : result.StandardOutput)
            : throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', argList)} exited with {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
    }
}
