using System.Globalization;
using RedisFlow.Testing;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Chaos.Tests;

/// <summary>
/// QueueWorkers in child processes (the <c>chaos-worker</c> scenario of RedisFlow.TestProcesses), one per slot, each
/// appending what it handled to a file of its slot. Slot 0 is never killed, so one worker's memory can be followed
/// through the whole run; the others are the fault injector's targets and are restarted under the same consumer name.
/// </summary>
public sealed class ChaosWorkers(string endpoint, string queue, string group, int seed, string folder) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(90);
    private readonly List<ChildProcess?> _slots = [];
    private readonly List<string> _retiredOutput = [];
    private readonly List<string> _crashes = [];

    /// <summary>Slots the fault injector may kill.</summary>
    public IReadOnlyList<int> KillableSlots => [.. Enumerable.Range(1, _slots.Count - 1)];

    /// <summary>Starts <paramref name="count"/> workers and waits until each is ready.</summary>
    public async Task StartAsync(int count, CancellationToken ct)
    {
        for (var slot = 0; slot < count; slot++)
        {
            _slots.Add(Launch(slot));
        }

        await WaitAllReadyAsync(ct).ConfigureAwait(false);
    }

    /// <summary>SIGKILL of the worker in <paramref name="slot"/>, as a crash would.</summary>
    public async Task KillAsync(int slot)
    {
        if (_slots[slot] is { } child)
        {
            var exitedBefore = child.HasExited;
            await child.KillAsync().ConfigureAwait(false);
            await RetireAsync(child, crashed: exitedBefore).ConfigureAwait(false);
            _slots[slot] = null;
        }
    }

    /// <summary>Workers that exited by themselves (not killed, or not with code 0 after SIGTERM), with their output.</summary>
    public IReadOnlyList<string> Crashes
    {
        get
        {
            lock (_retiredOutput)
            {
                return [.. _crashes];
            }
        }
    }

    /// <summary>
    /// Starts the worker of <paramref name="slot"/> again (same consumer name: it recovers its own pending entries
    /// first). A worker found exited without having been killed is recorded as a crash and restarted too.
    /// </summary>
    public async Task RestartAsync(int slot)
    {
        if (_slots[slot] is { HasExited: true } crashed)
        {
            await RetireAsync(crashed, crashed: true).ConfigureAwait(false);
            _slots[slot] = null;
        }

        _slots[slot] ??= Launch(slot);
    }

    /// <summary>Restarts any slot left empty and waits until every worker is ready.</summary>
    public async Task WaitAllReadyAsync(CancellationToken ct)
    {
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            await RestartAsync(slot).ConfigureAwait(false);
        }

        foreach (var child in _slots)
        {
            await Poll.UntilAsync(
                () => child!.HasExited
                    ? throw new InvalidOperationException($"{child.Name} exited with {child.ExitCode} before it was ready: {child.Transcript}")
                    : Task.FromResult(child.Lines.Contains("ready")),
                ReadyLimit, $"{child!.Name} to be ready", ct).ConfigureAwait(false);
        }
    }

    /// <summary>The resident set (VmRSS) of each live worker, by process id.</summary>
    public Dictionary<int, long> WorkingSets()
    {
        var sets = new Dictionary<int, long>();
        foreach (var child in _slots)
        {
            try
            {
                if (child is { HasExited: false })
                {
                    sets[child.Id] = child.ProcStatusBytes("VmRSS");
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Killed by the fault injector while being measured: it has no working set to compare.
            }
        }

        return sets;
    }

    /// <summary>Every record line of every worker so far: how often each n was handled, and how many bodies were wrong.</summary>
    public (Dictionary<long, int> Handled, long Bad) ReadHandled()
    {
        var handled = new Dictionary<long, int>();
        long bad = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.handled"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                var parts = line.Split(' ');
                // A torn last line (killed mid-write) was never acknowledged: it is redelivered, so it is skipped.
                if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) || parts[1] is not ("ok" or "bad"))
                {
                    continue;
                }

                handled[n] = handled.GetValueOrDefault(n) + 1;
                if (parts[1] == "bad")
                {
                    bad++;
                }
            }
        }

        return (handled, bad);
    }

    /// <summary>
    /// Stops every worker with SIGTERM (bounded) and answers the unobserved task exceptions all workers of the run
    /// reported (killed ones included), with their lines.
    /// </summary>
    public async Task<(long Count, IReadOnlyList<string> Lines)> StopAsync()
    {
        for (var slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot] is { } child)
            {
                await child.SignalAsync("TERM").ConfigureAwait(false);
                var code = await child.WaitForExitAsync(TimeSpan.FromSeconds(40)).ConfigureAwait(false);
                await RetireAsync(child, crashed: code != 0).ConfigureAwait(false);
                _slots[slot] = null;
            }
        }

        List<string> lines;
        lock (_retiredOutput)
        {
            lines = [.. _retiredOutput.SelectMany(o => o.Split('\n')).Where(l => l.StartsWith("unobserved: ", StringComparison.Ordinal))];
        }

        return (lines.Count, lines);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var child in _slots)
        {
            if (child is not null)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private ChildProcess Launch(int slot)
    {
        var consumer = "chaos-worker-" + slot.ToString(CultureInfo.InvariantCulture);
        return TestProcess.Start("chaos-worker", endpoint, queue, group, consumer, seed.ToString(CultureInfo.InvariantCulture),
            Path.Combine(folder, consumer + ".handled"));
    }

    private async Task RetireAsync(ChildProcess child, bool crashed)
    {
        lock (_retiredOutput)
        {
            _retiredOutput.Add(child.Output + child.Error);
            if (crashed)
            {
                _crashes.Add($"{child.Name} (pid {child.Id}) exited with {child.ExitCode}: {child.Transcript}");
            }
        }

        await child.DisposeAsync().ConfigureAwait(false);
    }
}
