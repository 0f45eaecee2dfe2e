using System.Runtime.InteropServices;

namespace RedisFlow.Cli;

/// <summary>
/// SIGTERM, SIGINT and SIGHUP cancel the running command, which then stops what it started (a private
/// redis-server, the daemon) on its normal way out. SIGHUP stops <c>serve</c> too: it has no configuration to
/// reload, and a daemon whose terminal went away should not keep running unseen.
/// </summary>
/// <remarks>
/// A command that does not end within <see cref="GracePeriod"/> of the signal is ended with exit code 130 or 143;
/// the process-exit handlers (which kill a private redis-server) still run then.
/// </remarks>
internal sealed class ShutdownSignals : IDisposable
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signalled;

    public ShutdownSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's default (exit at once) would skip the command's cleanup.
        context.Cancel = true;
        if (Interlocked.Exchange(ref _signalled, 1) != 0)
        {
            return;
        }

        var code = context.Signal == PosixSignal.SIGINT ? 130 : 143;
        _cts.Cancel();
        _ = Task.Delay(GracePeriod).ContinueWith(_ => Environment.Exit(code), TaskScheduler.Default);
    }
}
