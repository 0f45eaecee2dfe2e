using System.CommandLine;
using RedisFlow.Cli;
using RedisFlow.Cli.Commands;
using RedisFlow.Cli.Commands.Cache;
using RedisFlow.Cli.Commands.Config;

var root = new RootCommand("redisflow: RAGFlow's Redis layer and file-cache daemon for .NET");
GlobalOptions.AddTo(root);
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(QueueCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DbCommand.Create());
root.Subcommands.Add(CacheCommand.Create());
root.Subcommands.Add(ConfigCommand.Create());
root.Subcommands.Add(DashboardCommand.Create());

// Response files (@file) are off: keys and queues may begin with '@' (RAGFlow's names can), and a name must
// never silently turn into the contents of a file.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0)
{
    return await ParseErrors.ReportAsync(parse).ConfigureAwait(false);
}

using var signals = new ShutdownSignals();
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, signals.Token).ConfigureAwait(false);
