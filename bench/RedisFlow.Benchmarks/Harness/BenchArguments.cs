namespace RedisFlow.Benchmarks.Harness;

/// <summary>The command line: <c>[scenario...] [--quick] [--output DIR]</c>.</summary>
public sealed record BenchArguments(IReadOnlyList<string> Scenarios, bool Quick, string? OutputDirectory, bool Help)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/RedisFlow.Benchmarks -- [scenario...] [--quick] [--output DIR]

          scenario   one or more of: kv queue-produce queue-consume queue-latency lock cache-warm
                     python-peer (default: all)
          --quick    tiny sizes, well under a minute: a smoke run whose numbers mean nothing
          --output   folder for the result files (default: bench/results); a full run writes latest.md and
                     latest.json, a quick run quick.md and quick.json
        """;

    public static BenchArguments Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var scenarios = new List<string>();
        var quick = false;
        var help = false;
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--output" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case var name when known.Contains(name):
                    scenarios.Add(name);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }

        return new BenchArguments(scenarios.Count == 0 ? [.. known] : scenarios.Distinct().ToList(), quick, output, help);
    }
}
