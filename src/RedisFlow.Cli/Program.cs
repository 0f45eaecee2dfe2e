using System.CommandLine;
using RedisFlow.Cli;
using RedisFlow.Cli.Commands;

var root = new RootCommand("redisflow: RAGFlow's Redis layer and file-cache daemon for .NET");
GlobalOptions.AddTo(root);
root.Subcommands.Add(HealthCommand.Create());
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(QueueCommand.Create());

return await root.Parse(args).InvokeAsync();
