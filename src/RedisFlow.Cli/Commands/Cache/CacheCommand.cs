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

    private static Option<bool> Force() => new("--force") { Description = "Also act on keys that are not cached files (any type, any TTL): use with care" };

    private static Command List()
    {
        var match = new Option<string>("--match") { Description = "Key pattern (SCAN MATCH); default */*, the bucket/location keys", DefaultValueFactory = _ => "*/*" };
        var limit = new Option<int>("--limit") { Description = "List at most this many keys (1 or more; default 1000)", DefaultValueFactory = _ => 1000 };
        var force = Force();
        var command = new Command("ls", "List cached files (string keys bucket/location with a TTL up to Cache:Ttl) with their sizes and TTLs") { match, limit, force };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var n = context.Parse.GetValue(limit);
            if (n < 1)
            {
                throw new CliException("--limit must be at least 1", CommandRunner.ConfigurationError);
            }

            var pattern = CliNames.Require(context.Parse.GetValue(match), "--match");
            var maxTtl = context.Parse.GetValue(force) ? (TimeSpan?)null : CacheKeyShape.MaxTtl(context.Configuration);
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var entries = await CachedKeys.ListAsync(db, pattern, n, maxTtl, ct).ConfigureAwait(false);
            await CachedKeys.PrintAsync(context, entries).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command Get()
    {
        var key = new Argument<string>("key") { Description = "The cached file's key, bucket/location" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the file here (default: standard output)" };
        var force = Force();
        var command = new Command("get", "Write a cached file's bytes to a file or standard output") { key, output, force };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var name = CliNames.Require(context.Parse.GetValue(key), "the key argument");
            var path = context.Parse.GetValue(output);
            if (path is not null)
            {
                CheckOutputPath(path);
            }

            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
            if (!context.Parse.GetValue(force) && await CacheKeyShape.RefusalAsync(database, name, CacheKeyShape.MaxTtl(context.Configuration)).ConfigureAwait(false) is { } refusal)
            {
                throw new CliException($"{refusal}; not read (--force reads it anyway)");
            }

            var mark = context.Failures.Count;
            var bytes = await db.GetBytesAsync(name, ct).ConfigureAwait(false);
            await context.ThrowIfFailedSinceAsync(mark, $"reading '{name}'", ct).ConfigureAwait(false);
            if (bytes is null)
            {
                await context.Error.WriteLineAsync($"error: '{name}' is not cached").ConfigureAwait(false);
                return 1;
            }

            if (path is null)
            {
                var stdout = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
                await using (stdout.ConfigureAwait(false))
                {
                    try
                    {
                        await stdout.WriteAsync(bytes, ct).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        throw new CliException($"writing '{name}' to standard output failed (the reader closed the pipe)");
                    }
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

    private static void CheckOutputPath(string path)
    {
        if (path.Length == 0)
        {
            throw new CliException("--output is empty", CommandRunner.ConfigurationError);
        }

        if (Directory.Exists(path))
        {
            throw new CliException($"--output '{path}' is a directory; give a file name", CommandRunner.ConfigurationError);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"--output '{path}': the folder {folder} does not exist", CommandRunner.ConfigurationError);
        }
    }

    private static Command Evict()
    {
        var keys = new Argument<string[]>("keys") { Description = "Keys to remove (bucket/location)", Arity = ArgumentArity.OneOrMore };
        var force = Force();
        var command = new Command("evict", "Remove cached files now (string keys bucket/location with a TTL up to Cache:Ttl; the daemon caches them again while their task runs)") { keys, force };
        CommandRunner.SetAction(command, async (context, ct) =>
        {
            var names = context.Parse.GetValue(keys)!;
            foreach (var name in names)
            {
                _ = CliNames.Require(name, "a key argument");
            }

            var forced = context.Parse.GetValue(force);
            var maxTtl = CacheKeyShape.MaxTtl(context.Configuration);
            var db = await context.ConnectAsync(ct).ConfigureAwait(false);
            var database = await db.GetDatabaseAsync(ct).ConfigureAwait(false);
            long removed = 0;
            var refused = new List<string>();
            foreach (var name in names)
            {
                if (forced)
                {
                    removed += await database.KeyDeleteAsync(name).ConfigureAwait(false) ? 1 : 0;
                    continue;
                }

                var result = CacheKeyShape.IsCacheName(name) ? await CacheKeyShape.EvictAsync(database, name, maxTtl).ConfigureAwait(false) : -3;
                if (result > 0)
                {
                    removed++;
                }
                else if (result < 0)
                {
                    var why = await CacheKeyShape.RefusalAsync(database, name, maxTtl).ConfigureAwait(false) ?? $"'{name}' changed while it was checked";
                    refused.Add(name);
                    await context.Error.WriteLineAsync($"error: {why}; not removed (--force removes it anyway)").ConfigureAwait(false);
                }
            }

            if (context.Json)
            {
                await context.WriteJsonAsync(new { removed, refused }).ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"removed {removed}")).ConfigureAwait(false);
            }

            return refused.Count == 0 ? 0 : 1;
        });
        return command;
    }
}

/// <summary>Lists cached keys with size and TTL (used by <c>cache ls</c> and the demo).</summary>
internal static class CachedKeys
{
    public sealed record Entry(string Key, long Size, TimeSpan? Ttl);

    /// <summary>Up to <paramref name="limit"/> string keys matching <paramref name="match"/>; with <paramref name="maxTtl"/>, only those with a TTL up to it (cached files).</summary>
    public static async Task<IReadOnlyList<Entry>> ListAsync(RedisDb db, string match, int limit, TimeSpan? maxTtl, CancellationToken ct)
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

                var ttl = await database.KeyTimeToLiveAsync(key).ConfigureAwait(false);
                if (maxTtl is { } max && (ttl is null || ttl > max))
                {
                    continue;
                }

                entries.Add(new Entry(name, await database.StringLengthAsync(key).ConfigureAwait(false), ttl));
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
