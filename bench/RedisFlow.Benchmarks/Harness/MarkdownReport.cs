using System.Globalization;
using System.Text;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>Writes a run as markdown: a header, then one table per scenario.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# RedisFlow benchmarks{(report.Quick ? " (quick smoke run: sizes too small to mean anything)" : string.Empty)}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Run: {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, {report.Duration.TotalSeconds:0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {report.Machine}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{report.Command}`");
        text.AppendLine("- Median, min and max are over the repetitions after warm-up; ratio = this row's median / its baseline's median, from the same run.");
        foreach (var scenario in report.Scenarios)
        {
            text.AppendLine();
            AppendScenario(text, scenario);
        }

        return text.ToString();
    }

    public static void AppendScenario(StringBuilder text, ScenarioResult scenario)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"## {scenario.Name}");
        text.AppendLine();
        text.AppendLine(scenario.Description);
        text.AppendLine();
        text.AppendLine("| case | unit | median | min | max | n | ratio | baseline | target |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var row in scenario.Rows)
        {
            var sample = row.Sample;
            var median = sample is null ? $"_{row.Note ?? "not measured"}_" : Format.Number(sample.Median);
            var min = sample is null ? "–" : Format.Number(sample.Min);
            var max = sample is null ? "–" : Format.Number(sample.Max);
            var count = sample is null ? "–" : sample.Values.Count.ToString(CultureInfo.InvariantCulture);
            var ratio = row.Baseline is null ? (IsBaselineOfAnother(scenario, row) ? "1.00×" : "–") : Format.Ratio(scenario.RatioToBaseline(row));
            var baseline = row.Baseline ?? (IsBaselineOfAnother(scenario, row) ? "(baseline)" : string.Empty);
            var targets = string.Join("; ", scenario.Evaluate(row).Select(e => TargetText(e.Target, e.Status, e.Actual)));
            var name = sample is not null && row.Note is not null ? $"{row.Name} ({row.Note})" : row.Name;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {row.Unit} | {median} | {min} | {max} | {count} | {ratio} | {baseline} | {targets} |");
        }

        foreach (var note in scenario.Notes)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"> {note}");
        }
    }

    private static bool IsBaselineOfAnother(ScenarioResult scenario, ResultRow row) =>
        scenario.Rows.Any(r => r.Baseline == row.Name);

    private static string TargetText(Target target, TargetStatus status, double actual) => status switch
    {
        TargetStatus.Met => $"{target.Text}: **met** ({Actual(target, actual)})",
        TargetStatus.Missed => $"{target.Text}: **missed** ({Actual(target, actual)})",
        _ => $"{target.Text}: pending",
    };

    private static string Actual(Target target, double actual) =>
        target.Text.Contains('×', StringComparison.Ordinal) ? Format.Ratio(actual) : Format.Number(actual);
}
