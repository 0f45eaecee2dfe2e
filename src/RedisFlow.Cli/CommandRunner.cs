using System.CommandLine;

namespace RedisFlow.Cli;

/// <summary>Runs a command body with a <see cref="CliContext"/> and turns known failures into messages and exit codes.</summary>
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
            finally
            {
                if (context is not null)
                {
                    await context.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
}
