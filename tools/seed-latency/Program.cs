// One awaited seed call at a time through RedisFlow's public API, as RAGFlow's code calls it.
// Usage: SeedLatency <mode> <port> <n>; modes: produce, getset, consume, lock. Prints "RATE <mode> <calls per second>"
// (getset counts one SET plus one GET as two calls; consume counts one QueueConsumerAsync + AckAsync as one).
using System.Diagnostics;
using RedisFlow;
using RedisFlow.Locking;

var mode = args[0];
var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var n = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
const int Warmup = 1000;
var payload = new { id = "b1", doc_id = "d1", progress = 0.0, from_page = 0, to_page = 100000000, digest = "0123456789abcdef", priority = 0 };
await using var db = await RedisDb.ConnectAsync(new RedisDbOptions { Host = $"127.0.0.1:{port}", Db = 1 });
var tag = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
double seconds;
switch (mode)
{
    case "produce":
        for (var i = 0; i < Warmup; i++) await db.QueueProductAsync($"sl:warm:{tag}", payload);
        seconds = await Time(n, () => db.QueueProductAsync($"sl:q:{tag}", payload));
        break;
    case "getset":
        for (var i = 0; i < Warmup; i++) { await db.SetAsync($"sl:k:{tag}", "v"); await db.GetAsync($"sl:k:{tag}"); }
        seconds = await Time(n / 2, async () => { await db.SetAsync($"sl:k:{tag}", "value-0123456789"); return await db.GetAsync($"sl:k:{tag}") is not null; });
        break;
    case "consume":
    {
        var queue = $"sl:c:{tag}";
        for (var i = 0; i < n + Warmup; i++) await db.QueueProductAsync(queue, payload);
        for (var i = 0; i < Warmup; i++) await Consume();
        seconds = await Time(n, Consume);
        async Task<bool> Consume()
        {
            var msg = await db.QueueConsumerAsync(queue, "g", "c1");
            return msg is not null && await msg.AckAsync();
        }

        break;
    }
    case "lock":
    {
        var gate = new RedisDistributedLock(db, $"sl:lock:{tag}", timeout: TimeSpan.FromSeconds(10), blockingTimeout: TimeSpan.Zero);
        for (var i = 0; i < Warmup; i++) { await gate.AcquireAsync(); await gate.ReleaseAsync(); }
        seconds = await Time(n, async () => { var ok = await gate.AcquireAsync(); await gate.ReleaseAsync(); return ok; });
        break;
    }
    default:
        throw new ArgumentException(mode);
}

Console.WriteLine($"RATE {mode} {n / seconds:F0}");
// Which path answered (internal counters, read by reflection so the probe needs no access to internals).
var lean = typeof(RedisDb).GetProperty("Lean", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(db);
if (lean is not null)
{
    Console.Error.WriteLine($"lean calls {lean.GetType().GetProperty("LeanCalls")!.GetValue(lean)}, handed over {lean.GetType().GetProperty("HandedOver")!.GetValue(lean)}");
}

static async Task<double> Time(int count, Func<Task<bool>> call)
{
    var failures = 0;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        if (!await call()) failures++;
    }

    var elapsed = sw.Elapsed.TotalSeconds;
    if (failures > 0) Console.Error.WriteLine($"{failures} calls failed");
    return elapsed;
}
