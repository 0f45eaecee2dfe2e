using System.Reflection;
using RedisFlow.TestProcesses;

var scenarios = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(ITestProcessScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (ITestProcessScenario)Activator.CreateInstance(t)!)
    .ToDictionary(s => s.Name, StringComparer.Ordinal);

if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var scenario))
{
    await Console.Error.WriteLineAsync($"usage: RedisFlow.TestProcesses <{string.Join('|', scenarios.Keys.Order(StringComparer.Ordinal))}> [args...]");
    return 2;
}

// SIGTERM/Ctrl-C cancel the scenario; the source is never disposed because ProcessExit may fire after Main returns.
var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => cts.Cancel();
return await scenario.RunAsync(args[1..], cts.Token);
