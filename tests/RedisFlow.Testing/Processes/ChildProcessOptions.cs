namespace RedisFlow.Testing.Processes;

/// <summary>How <see cref="ChildProcess"/> starts a program, beyond its name and arguments.</summary>
public sealed record ChildProcessOptions
{
    /// <summary>No working folder, environment or limits of its own.</summary>
    public static ChildProcessOptions Default { get; } = new();

    /// <summary>The folder the child runs in; the parent's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Whether <see cref="WorkingDirectory"/> is the child's own (a temp folder made for it) and is removed with
    /// everything in it when the child is disposed.
    /// </summary>
    public bool OwnsWorkingDirectory { get; init; }

    /// <summary>Inherited environment variables to drop (a developer's settings must not reach the child).</summary>
    public Func<string, bool>? WithoutInherited { get; init; }

    /// <summary>Environment variables to set for the child, after <see cref="WithoutInherited"/>.</summary>
    public IEnumerable<KeyValuePair<string, string?>>? Environment { get; init; }

    /// <summary>
    /// Whether the child's standard input is a pipe the caller writes to. Otherwise it inherits the parent's,
    /// except for <see cref="ChildProcess.RunAsync"/>, which gives it a closed pipe so it can never wait on input.
    /// </summary>
    public bool RedirectInput { get; init; }

    /// <summary>
    /// The most characters of each output stream kept (the tail, so a chatty server cannot grow the test process
    /// without bound); 0 keeps everything.
    /// </summary>
    public int KeepTail { get; init; }

    /// <summary>A short name for messages (for example <c>mariadbd</c>); the program's file name when null.</summary>
    public string? Name { get; init; }
}
