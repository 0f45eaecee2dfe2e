using System.CommandLine;
using System.Text;
using System.Text.Json;
using RedisFlow.Queues;

namespace RedisFlow.Cli.Commands;

/// <summary>
/// <c>redisflow queue produce &lt;queue&gt; (&lt;json&gt; | - | --file PATH)</c>: adds one entry in RAGFlow's format and
/// prints its id. Standard input (<c>-</c>) and <c>--file</c> carry messages too large for a command line.
/// </summary>
internal static class QueueProduceCommand
{
    /// <summary>Redis refuses a bulk string over 512 MB; a message file larger than that cannot be one entry.</summary>
    private const long MaxMessageBytes = 512L * 1024 * 1024;

    public static Command Create()
    {
        var queue = QueueCliOptions.Queue();
        var json = new Argument<string?>("json")
        {
            Description = "The message as JSON (Python's NaN/Infinity accepted), or - to read it from standard input",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var file = new Option<string?>("--file") { Description = "Read the message from this file instead" };
        var command = new Command("produce", "Add one entry {\"message\": <json>} to a queue and print its id") { queue, json, file };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var name = CliNames.Queue(context.Parse.GetValue(queue));
            var bytes = await ReadMessageAsync(context.Parse.GetValue(json), context.Parse.GetValue(file), ct).ConfigureAwait(false);
            JsonElement message;
            try
            {
                message = PythonJson.Parse(bytes);
            }
            catch (JsonException ex)
            {
                // The position only: the parser's message quotes the text, which may be anything.
                throw new CliException($"the message is not JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}{(ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $", nested deeper than {PythonJson.MaxDepth}" : string.Empty)})", CommandRunner.ConfigurationError);
            }

            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var mark = context.Failures.Count;
            var id = await db.QueueProductWithIdAsync(name, message, ct).ConfigureAwait(false);
            if (id is null)
            {
                await context.ThrowIfFailedSinceAsync(mark, $"could not add to {name}", ct).ConfigureAwait(false);
                throw new CliException($"could not add to {name}: Redis did not answer");
            }

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

    private static async Task<byte[]> ReadMessageAsync(string? json, string? file, CancellationToken ct)
    {
        if (file is not null && json is not null)
        {
            throw new CliException("give the message once: as the json argument, as - (standard input) or with --file", CommandRunner.ConfigurationError);
        }

        if (file is not null)
        {
            if (Directory.Exists(file) || !File.Exists(file))
            {
                throw new CliException($"--file '{file}' {(Directory.Exists(file) ? "is a directory" : "does not exist")}", CommandRunner.ConfigurationError);
            }

            if (new FileInfo(file).Length > MaxMessageBytes)
            {
                throw new CliException($"--file '{file}' is larger than Redis's 512 MB limit for one value", CommandRunner.ConfigurationError);
            }

            return await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false);
        }

        if (json == "-")
        {
            var stdin = Console.OpenStandardInput();
            await using (stdin.ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await stdin.CopyToAsync(copy, ct).ConfigureAwait(false);
                return copy.ToArray();
            }
        }

        if (json is null)
        {
            throw new CliException("no message: give it as the json argument, as - (standard input) or with --file PATH", CommandRunner.ConfigurationError);
        }

        return Encoding.UTF8.GetBytes(json);
    }
}
