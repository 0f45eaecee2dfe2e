using System.Globalization;

namespace RedisFlow.TestProcesses.Scenarios;

/// <summary>
/// <c>ids host:port keyPrefix namespace count</c>: takes <c>count</c> ids from one counter with
/// <see cref="RedisDb.GenerateAutoIncrementIdAsync"/> and prints each on its own line (database 0, as RAGFlow).
/// </summary>
public sealed class IdGeneratorScenario : ITestProcessScenario
{
    public string Name => "ids";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (endpoint, prefix, ns) = (args[0], args[1], args[2]);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = endpoint, Db = 0 }, ct: ct);
        var output = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var id = await db.GenerateAutoIncrementIdAsync(prefix, ns, ct: ct);
            if (id < 0)
            {
                await Console.Error.WriteLineAsync("Redis did not answer");
                return 1;
            }

            output.Append(id).Append('\n');
        }

        Console.Write(output.ToString());
        return 0;
    }
}
