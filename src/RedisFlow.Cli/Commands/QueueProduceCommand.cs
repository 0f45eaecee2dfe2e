using System.CommandLine;
using System.Text;
using System.Text.Json;
using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary><c>redisflow queue produce &lt;queue&gt; &lt;json&gt;</c>: adds one entry in RAGFlow's format and prints its id.</summary>
internal static class QueueProduceCommand
{
    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var json = new Argument<string>("json") { Description = "The message as JSON (Python's NaN/Infinity accepted)" };
        var command = new Command("produce", "Add one entry {\"message\": <json>} to a queue and print its id") { queue, json };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            JsonElement message;
            try
            {
                message = PythonJson.Parse(Encoding.UTF8.GetBytes(context.Parse.GetValue(json)!));
            }
            catch (JsonException ex)
            {
                throw new CliException($"the message is not JSON: {ex.Message}", CommandRunner.ConfigurationError);
            }

            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var name = context.Parse.GetValue(queue)!;
            var id = await db.QueueProductWithIdAsync(name, message, ct).ConfigureAwait(false) ?? throw new CliException($"could not add to {name}: Redis did not answer (see the warning above)");
            if (context.Json)
            {
                await context.WriteJsonAsync(new { queue = name, id }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
