using RedisFlow.Benchmarks.Harness;

namespace RedisFlow.Benchmarks.Peers;

/// <summary>Turns a peer's measurement into a row, or into an unavailable row saying why it could not run.</summary>
public static class PeerRows
{
    public static async Task<ResultRow> MeasureAsync(BenchContext context, string name, string unit, Func<Task<IReadOnlyList<double>>> measure)
    {
        try
        {
            var values = await measure().ConfigureAwait(false);
            context.Progress($"  {name}: {string.Join(", ", values.Select(Format.Number))}");
            return new ResultRow(name, unit, new Sample(values));
        }
        catch (PeerUnavailableException ex)
        {
            context.Progress($"  {name}: unavailable: {ex.Message}");
            return ResultRow.Unavailable(name, unit, $"could not run: {ex.Message}");
        }
    }
}
