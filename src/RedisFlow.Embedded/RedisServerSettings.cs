namespace RedisFlow.Embedded;

/// <summary>How <see cref="RedisServerProcess.StartAsync(RedisServerSettings, CancellationToken)"/> starts a server.</summary>
public sealed record RedisServerSettings
{
    /// <summary>Arguments after the defaults (later arguments win), for example <c>--cluster-enabled yes</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Text of a config file written into the server's folder and passed first; null for none.</summary>
    public string? ConfigText { get; init; }

    /// <summary>Run as Sentinel (<c>--sentinel</c>); needs <see cref="ConfigText"/>, which Sentinel rewrites.</summary>
    public bool Sentinel { get; init; }

    /// <summary>Listen with TLS only (<c>--port 0 --tls-port</c>); the TLS files go in <see cref="ExtraArgs"/>.</summary>
    public bool TlsOnly { get; init; }

    /// <summary>
    /// Stop the server when the process that started it exits for any reason, SIGKILL included: the server runs
    /// under a small <c>/bin/sh</c> watcher that waits for end-of-file on a pipe held only by this process, which
    /// the kernel closes however the process ends.
    /// </summary>
    public bool StopWhenParentExits { get; init; }

    /// <summary>
    /// How long a start (or restart) may take to answer PING. Default 15 s; a restart that replays a large AOF on a
    /// loaded machine (the chaos run's) needs longer.
    /// </summary>
    public TimeSpan StartLimit { get; init; } = TimeSpan.FromSeconds(15);
}
