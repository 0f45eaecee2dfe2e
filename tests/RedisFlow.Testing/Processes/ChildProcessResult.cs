namespace RedisFlow.Testing.Processes;

/// <summary>How a child that ran to completion ended: its exit code and everything it wrote.</summary>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError);
