using RedisFlow.Embedded;
using RedisFlow.Testing.Processes;

namespace RedisFlow.Testing;

/// <summary>
/// Runs a Python script of the tests with Debian's <c>python3</c> and its <c>python3-redis</c> (redis-py), the
/// client RAGFlow's Python layer is built on, so interop tests put a real Python process on the same Redis.
/// </summary>
public static class PythonPeer
{
    /// <summary>The Debian interpreter (not a virtualenv's), which has python3-redis.</summary>
    public static string Interpreter => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalProgram.Require("python3", "python3");

    /// <summary>Runs <paramref name="script"/> (a path) with <paramref name="args"/>; answers its standard output.</summary>
    public static Task<string> RunAsync(string script, IEnumerable<string> args, CancellationToken ct = default) =>
        ChildProcess.RunToSuccessAsync(Interpreter, [script, .. args], TimeSpan.FromSeconds(60), mergeStandardError: false, ct: ct);
}
