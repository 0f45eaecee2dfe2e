using System.CommandLine;

namespace RedisFlow.Cli;

/// <summary>
/// Invalid command-line input: the errors on standard error and exit code 2 (as the README promises), never the
/// help on standard output, where a script would read it as the command's answer.
/// </summary>
internal static class ParseErrors
{
    public static async Task<int> ReportAsync(ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
        }

        var path = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1).Select(c => c.Name).Append(parse.CommandResult.Command.Name));
        await Console.Error.WriteLineAsync($"see '{(parse.CommandResult.Command is RootCommand ? "redisflow" : "redisflow " + path)} --help'").ConfigureAwait(false);
        return CommandRunner.ConfigurationError;
    }
}
