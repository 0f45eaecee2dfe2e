using System.CommandLine;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue ...</c>: the stream work queue from the command line.</summary>
internal static class QueueCommand
{
    public static Command Create()
    {
        var command = new Command("queue", "The stream work queue: produce, consume, ack, info, pending, requeue, dead letters, trim");
        command.Subcommands.Add(QueueProduceCommand.Create());
        command.Subcommands.Add(QueueConsumeCommand.Create());
        command.Subcommands.Add(QueueAckCommand.Create());
        command.Subcommands.Add(QueueInfoCommand.Create());
        command.Subcommands.Add(QueuePendingCommand.Create());
        command.Subcommands.Add(QueueRequeueCommand.Create());
        command.Subcommands.Add(QueueDeadLettersCommand.Create());
        command.Subcommands.Add(QueueTrimCommand.Create());
        return command;
    }
}

/// <summary>Arguments and options the queue subcommands share.</summary>
internal static class QueueCliOptions
{
    public static Argument<string> Queue() => new("queue") { Description = "Queue (stream) name, for example te.0.common" };

    public static Option<string> Group() => new("--group", "-g") { Description = "Consumer group, for example rag_flow_svr_task_broker", Required = true };

    public static Option<int> Count(int defaultValue, string description) => new("--count") { Description = description, DefaultValueFactory = _ => defaultValue };
}
