using System.Diagnostics;

namespace RedisFlow.Cli.Tests;

/// <summary>Runs the built <c>redisflow</c> program (RedisFlow.Cli.dll, copied next to the tests) as a child process.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "RedisFlow.Cli.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // An empty folder, so no appsettings.json of the developer's is picked up.
            WorkingDirectory = Directory.CreateTempSubdirectory("redisflow-cli-").FullName,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A developer's environment must not point the command at another Redis.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Redis__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"redisflow {string.Join(' ', args)} did not exit within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);
}
