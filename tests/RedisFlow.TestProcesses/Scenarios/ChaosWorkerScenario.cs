using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using RedisFlow.Queues;

namespace RedisFlow.TestProcesses.Scenarios;

/// <summary>
/// <c>chaos-worker host:port queue group consumer seed record-file</c>: runs a <see cref="QueueWorker"/> that, for each
/// entry, checks its body against <see cref="ChaosPayload.Body"/> and appends <c>n ok</c> (or <c>n bad</c>) to
/// record-file before the worker acknowledges it, so a SIGKILL between the two shows as a duplicate, never as a loss.
/// Prints <c>ready</c>; an unobserved task exception prints <c>unobserved: ...</c> at once; SIGTERM stops the worker
/// gracefully and prints <c>unobserved-total N</c>.
/// </summary>
public sealed class ChaosWorkerScenario : ITestProcessScenario
{
    public string Name => "chaos-worker";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var unobserved = 0;
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Interlocked.Increment(ref unobserved);
            // One line (the test reads lines), the whole exception with its stack.
            Console.WriteLine($"unobserved: {e.Exception.ToString().ReplaceLineEndings(" | ")}");
        };

        // The runtime's own SIGTERM handling ends the process right after ProcessExit, before the graceful stop below
        // ran; cancelling the signal lets RunAsync finish (stop the worker, count unobserved exceptions) and return 0.
        using var terminate = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            terminate.Cancel();
        });
        ct = terminate.Token;
        var seed = int.Parse(args[4], CultureInfo.InvariantCulture);
        // One write(2) per record on an O_APPEND file (no buffering): a kill leaves whole lines, at most one torn last line.
        await using var record = new FileStream(args[5], FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        var gate = new SemaphoreSlim(1, 1);
        await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = args[0], Db = 1 }, ct: ct);
        var options = new QueueWorkerOptions
        {
            QueueName = args[1],
            GroupName = args[2],
            ConsumerName = args[3],
            Concurrency = 4,
            // Short, so entries of a killed worker are claimed by the others within seconds.
            ClaimIdleTime = TimeSpan.FromSeconds(3),
            BlockTimeout = TimeSpan.FromSeconds(1),
        };
        using var worker = new QueueWorker(db, options, async (message, token) =>
        {
            var entry = message.GetMessage();
            var n = entry.GetProperty("n").GetInt64();
            var ok = entry.GetProperty("body").GetString() == ChaosPayload.Body(seed, n);
            var line = Encoding.ASCII.GetBytes($"{n} {(ok ? "ok" : "bad")}\n");
            await gate.WaitAsync(token);
            try
            {
                await record.WriteAsync(line, token);
            }
            finally
            {
                gate.Release();
            }
        });
        await worker.StartAsync(ct);
        Console.WriteLine("ready");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: stop gracefully below.
        }

        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await worker.StopAsync(limit.Token);
        }

        // Unobserved exceptions surface when their tasks are finalized: collect before counting.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Console.WriteLine($"unobserved-total {Volatile.Read(ref unobserved)}");
        return 0;
    }
}
