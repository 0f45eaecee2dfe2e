using System.Diagnostics;

namespace RedisFlow.Tests.Topologies;

/// <summary>Runs the built <c>redisflow</c> (RedisFlow.Cli.dll of the same configuration) as a child process.</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        // tests/RedisFlow.Tests/bin/<Configuration>/<tfm>/ -> src/RedisFlow.Cli/bin/<Configuration>/<tfm>/
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var root = tfmDir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "RedisFlow.Cli", "bin", configuration, tfmDir.Name, "RedisFlow.Cli.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
