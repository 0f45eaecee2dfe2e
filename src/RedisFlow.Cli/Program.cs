using System.CommandLine;
using RedisFlow.Cli;
using RedisFlow.Cli.Commands;
using RedisFlow.Cli.Commands.Cache;

var root = new RootCommand("redisflow: RAGFlow's Redis layer and file-cache daemon for .NET");
GlobalOptions.AddTo(root);
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(QueueCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DbCommand.Create());
root.Subcommands.Add(CacheCommand.Create());

return await root.Parse(args).InvokeAsync();
