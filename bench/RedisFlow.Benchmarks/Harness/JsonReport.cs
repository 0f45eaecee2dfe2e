using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedisFlow.Benchmarks.Harness;

/// <summary>Writes a run as JSON with every repetition's value, for tools and for comparing runs.</summary>
public static class JsonReport
{
    public static string Render(RunReport report)
    {
        var scenarios = new JsonArray();
        foreach (var scenario in report.Scenarios)
        {
            var rows = new JsonArray();
            foreach (var row in scenario.Rows)
            {
                var targets = new JsonArray();
                foreach (var (target, status, actual) in scenario.Evaluate(row))
                {
                    targets.Add(new JsonObject
                    {
                        ["target"] = target.Text,
                        ["status"] = status.ToString().ToLowerInvariant(),
                        ["actual"] = Finite(actual),
                    });
                }

                rows.Add(new JsonObject
                {
                    ["case"] = row.Name,
                    ["unit"] = row.Unit,
                    ["available"] = row.Sample is not null,
                    ["note"] = row.Note,
                    ["median"] = Finite(row.Sample?.Median),
                    ["min"] = Finite(row.Sample?.Min),
                    ["max"] = Finite(row.Sample?.Max),
                    ["values"] = row.Sample is null ? null : new JsonArray([.. row.Sample.Values.Select(v => (JsonNode?)Finite(v))]),
                    ["baseline"] = row.Baseline,
                    ["ratio"] = Finite(scenario.RatioToBaseline(row)),
                    ["targets"] = targets,
                });
            }

            scenarios.Add(new JsonObject
            {
                ["name"] = scenario.Name,
                ["description"] = scenario.Description,
                ["rows"] = rows,
                ["notes"] = new JsonArray([.. scenario.Notes.Select(n => (JsonNode?)n)]),
            });
        }

        var root = new JsonObject
        {
            ["startedUtc"] = report.StartedUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["durationSeconds"] = Math.Round(report.Duration.TotalSeconds, 1),
            ["command"] = report.Command,
            ["quick"] = report.Quick,
            ["machine"] = new JsonObject
            {
                ["processors"] = report.Machine.Processors,
                ["cpu"] = report.Machine.Cpu,
                ["redis"] = report.Machine.RedisVersion,
                ["runtime"] = report.Machine.Runtime,
                ["os"] = report.Machine.Os,
                ["node"] = report.Machine.Node,
            },
            ["scenarios"] = scenarios,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonValue? Finite(double? value) =>
        value is { } v && double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;
}
