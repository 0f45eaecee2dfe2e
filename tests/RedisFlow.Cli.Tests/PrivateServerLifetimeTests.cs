using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace RedisFlow.Cli.Tests;

/// <summary>Issue 12 row 9: the private redis-server of a command ends with the command, however it ends.</summary>
public sealed partial class PrivateServerLifetimeTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    [InlineData("HUP")]
    [InlineData("KILL")]
    public async Task The_private_redis_server_stops_when_a_blocked_consume_is_signalled(string signal)
    {
        using var process = CliRunner.Start(null, false, "queue", "consume", "q", "-g", "g", "-c", "c", "--block", "30000");
        var stderr = new StringBuilder();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (PrivatePort().Match(e.Data) is { Success: true } m)
            {
                started.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.BeginErrorReadLine();
        var port = await started.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(await AcceptsAsync(port));

        if (signal == "KILL")
        {
            process.Kill(entireProcessTree: false); // only the CLI: its child must notice by itself
        }
        else
        {
            await CliRunner.SignalAsync(process, signal);
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await process.WaitForExitAsync(timeout.Token);
        }

        if (signal != "KILL")
        {
            Assert.NotEqual(0, process.ExitCode);
        }

        // Bounded wait for the server to go: at most 100 probes over at most 20 s.
        var gone = false;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100 && clock.Elapsed < TimeSpan.FromSeconds(20) && !gone; i++)
        {
            gone = !await AcceptsAsync(port);
            if (!gone)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        lock (stderr)
        {
            Assert.True(gone, $"the private redis-server on port {port} still runs after SIGKILL/{signal} of the CLI. stderr: {stderr}");
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"private redis-server on 127\.0\.0\.1:(\d+)")]
    private static partial Regex PrivatePort();
}
