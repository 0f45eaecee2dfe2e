namespace RedisFlow.Benchmarks.Harness;

/// <summary>The table of one scenario: its rows, what it measured and how.</summary>
public sealed class ScenarioResult(string name, string description)
{
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];

    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<ResultRow> Rows => _rows;

    public IReadOnlyList<string> Notes => _notes;

    public ResultRow Add(ResultRow row)
    {
        _rows.Add(row);
        return row;
    }

    public void Note(string note) => _notes.Add(note);

    public ResultRow? Find(string rowName) => _rows.FirstOrDefault(r => r.Name == rowName);

    /// <summary>Median of this row over the median of its baseline row; NaN when either is missing.</summary>
    public double RatioToBaseline(ResultRow row)
    {
        if (row.Baseline is null || row.Sample is null)
        {
            return double.NaN;
        }

        var baseline = Find(row.Baseline);
        return baseline?.Sample is null || baseline.Sample.Median == 0 ? double.NaN : row.Sample.Median / baseline.Sample.Median;
    }

    public IEnumerable<(Target Target, TargetStatus Status, double Actual)> Evaluate(ResultRow row) =>
        row.Targets.Select(t =>
        {
            var (status, actual) = t.Evaluate(row, Find);
            return (t, status, actual);
        });
}
