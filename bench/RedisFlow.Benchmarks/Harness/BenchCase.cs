namespace RedisFlow.Benchmarks.Harness;

/// <summary>One measured case: a name and a run that returns one value (ops/s, ms, ...).</summary>
public sealed record BenchCase(string Name, Func<CancellationToken, Task<double>> RunAsync);
