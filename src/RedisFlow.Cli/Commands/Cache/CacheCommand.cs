using System.CommandLine;
using System.Globalization;
using StackExchange.Redis;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary><c>redisflow cache ls|get|evict</c>: look at and remove cached files (keys <c>bucket/location</c>).</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var cache = new Command("cache", "Cached files in Redis (keys bucket/location)");
        cache.Subcommands.Add(List());
        cache.Subcommands.Add(Get());
        cache.Subcommands.Add(Evict());
        return cache;
    }

    private static Command List()
    {
        var match = new Option<string>("--match") { Description = "Key pattern (SCAN MATCH); default */*, the bucket/location keys", DefaultValueFactory = _ => "*/*" };
        var limit = new Option<int>("--limit") { Description = "List at most this many keys (default 1000)", DefaultValueFactory = _ => 1000 };
        var command = new Command("ls", "List cached files with their sizes and TTLs") { match, limit };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var entries = await CachedKeys.ListAsync(db, context.Parse.GetValue(match)!, context.Parse.GetValue(limit), ct).ConfigureAwait(false);
            await CachedKeys.PrintAsync(context, entries).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Get()
    {
        var key = new Argument<string>("key") { Description = "The cached file's key, bucket/location" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the file here (default: standard output)" };
        var command = new Command("get", "Write a cached file's bytes to a file or standard output") { key, output };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var name = context.Parse.GetValue(key)!;
            var bytes = await db.GetBytesAsync(name, ct).ConfigureAwait(false);
            if (bytes is null)
            {
                await context.Error.WriteLineAsync($"error: '{name}' is not cached").ConfigureAwait(false);
                return 1;
            }

            var path = context.Parse.GetValue(output);
            if (path is null)
            {
                var stdout = Console.OpenStandardOutput();
                await using (stdout.ConfigureAwait(false))
                {
                    await stdout.WriteAsync(bytes, ct).ConfigureAwait(false);
                }
            }
            else
            {
                await File.WriteAllBytesAsync(path, bytes, ct).ConfigureAwait(false);
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {bytes.Length} bytes to {path}")).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    private static Command Evict()
    {
        var keys = new Argument<string[]>("keys") { Description = "Keys to remove (bucket/location)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("evict", "Remove cached files now (the daemon caches them again while their task runs)") { keys };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
            long removed = 0;
            foreach (var name in context.Parse.GetValue(keys)!)
            {
                removed += await database.KeyDeleteAsync(name).ConfigureAwait(false) ? 1 : 0;
            }

            if (context.Json)
            {
                await context.WriteJsonAsync(new { removed }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"removed {removed}")).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}

/// <summary>Lists cached keys with size and TTL (used by <c>cache ls</c> and the demo).</summary>
internal static class CachedKeys
{
    public sealed record Entry(string Key, long Size, TimeSpan? Ttl);

    public static async Task<IReadOnlyList<Entry>> ListAsync(RedisDb db, string match, int limit, CancellationToken ct)
    {
        var connection = await db.GetConnectionAsync(ct).ConfigureAwait(false);
        var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
        var entries = new List<Entry>();
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(database.Database, match, pageSize: 250).WithCancellation(ct).ConfigureAwait(false))
            {
                var name = key.ToString();
                // The daemon's claim and temporary keys start with a hash tag; they are not cached files.
                if (name.StartsWith('{') || await database.KeyTypeAsync(key).ConfigureAwait(false) != RedisType.String)
                {
                    continue;
                }

                entries.Add(new Entry(name, await database.StringLengthAsync(key).ConfigureAwait(false), await database.KeyTimeToLiveAsync(key).ConfigureAwait(false)));
                if (entries.Count >= limit)
                {
                    return Sorted(entries);
                }
            }
        }

        return Sorted(entries);
    }

    public static async Task PrintAsync(CliContext context, IReadOnlyList<Entry> entries)
    {
        if (context.Json)
        {
            await context.WriteJsonAsync(entries.Select(e => new { key = e.Key, size = e.Size, ttl_seconds = e.Ttl?.TotalSeconds })).ConfigureAwait(false);
            return;
        }

        if (entries.Count == 0)
        {
            await context.Out.WriteLineAsync("no cached files").ConfigureAwait(false);
            return;
        }

        var width = Math.Max(3, entries.Max(e => e.Key.Length));
        await context.Out.WriteLineAsync($"{"key".PadRight(width)}  {"size",12}  {"ttl",8}").ConfigureAwait(false);
        foreach (var e in entries)
        {
            var ttl = e.Ttl is { } t ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : "none";
            await context.Out.WriteLineAsync($"{e.Key.PadRight(width)}  {InfoCommand.Bytes(e.Size),12}  {ttl,8}").ConfigureAwait(false);
        }
    }

    private static List<Entry> Sorted(List<Entry> entries)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }
}
