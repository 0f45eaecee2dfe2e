using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace RedisFlow.Scripts;

/// <summary>
/// A Lua script, hashed once and run by EVALSHA; sent in full (EVAL, which also loads it) when the server answers
/// NOSCRIPT, for example after a restart, a failover or <c>SCRIPT FLUSH</c>. Create each script once (a static
/// property) and run it with <see cref="RedisDb.EvaluateAsync{T}"/>, or with <see cref="EvaluateAsync"/> inside an
/// operation of <see cref="RedisDb.ExecuteAsync{TState, T}(string, string?, TState, Func{IDatabase, TState, Task{T}}, T, bool, CancellationToken)"/>
/// to pipeline it behind other commands.
/// </summary>
/// <remarks>
/// Keys go in KEYS[] and values in ARGV[]: on Redis Cluster the call is sent to the primary serving the keys' slot,
/// so the keys of one call must share a slot (<see cref="Cluster.RedisHashSlot.SameSlotKey"/> names such keys).
/// </remarks>
public sealed class RedisLuaScript
{
    /// <summary>Scripts loaded from resources by SHA-1, so an ACL denial inside one can name the denied command.</summary>
    private static readonly ConcurrentDictionary<string, RedisLuaScript> FromResources = new(StringComparer.Ordinal);

    private readonly byte[] _sha1;

    private RedisLuaScript(string name, string text)
    {
        Name = name;
        Text = text;
        // Redis names scripts by their SHA-1; this is an identifier, not security.
#pragma warning disable CA5350
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5350
        Sha1Hex = Convert.ToHexStringLower(_sha1);
    }

    /// <summary>The script's name in messages (for an embedded script, its file name without <c>.lua</c>).</summary>
    public string Name { get; }

    /// <summary>The Lua source.</summary>
    public string Text { get; }

    /// <summary>The SHA-1 Redis knows the script by (lowercase hex), as EVALSHA and <c>SCRIPT EXISTS</c> take it.</summary>
    public string Sha1Hex { get; }

    /// <summary>A script from its source text.</summary>
    /// <param name="name">Names the script in messages.</param>
    /// <param name="text">The Lua source.</param>
    public static RedisLuaScript FromText(string name, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(text);
        return new RedisLuaScript(name, text);
    }

    /// <summary>
    /// A script kept as an embedded resource of <paramref name="assembly"/> (UTF-8), for example
    /// <c>&lt;EmbeddedResource Include="Scripts\*.lua" LogicalName="MyApp.Scripts.%(Filename)%(Extension)" /&gt;</c>
    /// and <c>FromResource(typeof(MyType).Assembly, "MyApp.Scripts.claim.lua")</c>.
    /// </summary>
    /// <remarks>
    /// Redis 7.0 reports an ACL denial inside a script without the command's name; for a script loaded here, the
    /// <see cref="RedisDb.LastProblem"/> it causes names the command and the rule to add.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The assembly has no resource of that name.</exception>
    public static RedisLuaScript FromResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded script '{resourceName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var script = new RedisLuaScript(NameOf(resourceName), reader.ReadToEnd());
        return FromResources.GetOrAdd(script.Sha1Hex, script);
    }

    /// <summary>Runs the script through <paramref name="db"/> (an <see cref="IDatabase"/>, or a batch or transaction to pipeline it).</summary>
    /// <remarks>No timeout, retry or fallback of its own: those come from the <see cref="RedisDb"/> call it runs in.</remarks>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            return await db.ScriptEvaluateAsync(_sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(Text, keys, args).ConfigureAwait(false);
        }
    }

    /// <summary>Loads <c>Scripts/<paramref name="name"/>.lua</c> from this library's resources.</summary>
    internal static RedisLuaScript FromResource(string name) =>
        FromResource(typeof(RedisLuaScript).Assembly, $"RedisFlow.Scripts.{name}.lua");

    /// <summary>The script loaded from resources whose SHA-1 is <paramref name="sha1Hex"/> (lowercase), if any.</summary>
    internal static RedisLuaScript? FindLoaded(string sha1Hex) => FromResources.GetValueOrDefault(sha1Hex);

    /// <summary><c>claim</c> for <c>MyApp.Scripts.claim.lua</c>.</summary>
    private static string NameOf(string resourceName)
    {
        var name = resourceName.EndsWith(".lua", StringComparison.OrdinalIgnoreCase) ? resourceName[..^".lua".Length] : resourceName;
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
