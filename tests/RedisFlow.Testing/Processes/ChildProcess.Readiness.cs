using System.Diagnostics;
using System.Globalization;

namespace RedisFlow.Testing.Processes;

/// <summary>Waiting for a server started as a child to answer.</summary>
public sealed partial class ChildProcess
{
    /// <summary>
    /// How long a server may take to answer after its start: generous, because on a loaded 2-core machine a Node.js
    /// emulator or a database's first start can take tens of seconds.
    /// </summary>
    public static readonly TimeSpan ServerStartLimit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts a server (database, storage emulator) in <paramref name="workingDirectory"/>, keeping only the tail of
    /// its output: it logs for as long as the test run lasts.
    /// </summary>
    public static ChildProcess StartServer(string name, string file, IEnumerable<string> args, string workingDirectory) =>
        Start(file, args, new ChildProcessOptions { Name = name, WorkingDirectory = workingDirectory, KeepTail = 32 * 1024 });

    /// <summary>
    /// Polls <paramref name="ready"/> every 50 ms until it answers true; throws with the child's output when it exits
    /// or <paramref name="limit"/> passes first (then it is killed).
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
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Name} exited with code {_process.ExitCode} while starting: {Transcript}"));
            }

            if (await ready(ct).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        KillQuietly();
        throw new TimeoutException($"{Name} was not ready within {limit.TotalSeconds} s: {Transcript}");
    }
}
