using System.CommandLine;

namespace RedisFlow.Cli;

/// <summary>Runs a command body with a <see cref="CliContext"/> and turns every failure into a message and an exit code.</summary>
/// <remarks>
/// Exit codes: 0 done, 1 the command could not do its work (Redis down, credentials refused, a wrong reply type,
/// a write error), 2 invalid input or configuration (naming the option, argument or setting), 130/143 stopped by
/// a signal. No stack trace reaches the user unless <c>--verbose</c> is given.
/// </remarks>
internal static class CommandRunner
{
    /// <summary>Exit code for invalid configuration or arguments.</summary>
    public const int ConfigurationError = 2;

    public static void SetAction(Command command, Func<CliContext, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            CliContext? context = null;
            try
            {
                context = CliContext.Create(parse);
                return await body(context, ct).ConfigureAwait(false);
            }
            catch (RedisFlowConfigurationException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ConfigurationError;
            }
            catch (CliException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
                return 130;
            }
            catch (ArgumentException ex)
            {
                // The library's rule: a bad argument throws. From the command line that is invalid input.
                await Console.Error.WriteLineAsync($"error: invalid argument: {ex.Message}").ConfigureAwait(false);
                await StackTraceAsync(parse, ex).ConfigureAwait(false);
                return ConfigurationError;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                await StackTraceAsync(parse, ex).ConfigureAwait(false);
                return 1;
            }
            finally
            {
                if (context is not null)
                {
                    await context.DisposeAsync().ConfigureAwait(false);
                }
            }
        });

    private static Task StackTraceAsync(ParseResult parse, Exception ex) =>
        parse.GetValue(GlobalOptions.Verbose) ? Console.Error.WriteLineAsync(ex.ToString()) : Task.CompletedTask;
}
