using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace RedisFlow.Scripts;

/// <summary>
/// A Lua script kept as an embedded <c>.lua</c> resource: read and hashed once, run by EVALSHA, and sent in full
/// (EVAL, which also loads it) when the server answers NOSCRIPT, for example after a restart or SCRIPT FLUSH.
/// </summary>
/// <remarks>Keys go in KEYS[] and values in ARGV[], so the script works on Redis Cluster when its keys share a slot.</remarks>
internal sealed class RedisLuaScript
{
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

    public string Name { get; }

    public string Text { get; }

    public string Sha1Hex { get; }

    /// <summary>Loads <c>Scripts/<paramref name="name"/>.lua</c> from this assembly's resources.</summary>
    public static RedisLuaScript FromResource(string name)
    {
        var resource = $"RedisFlow.Scripts.{name}.lua";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new RedisLuaScript(name, reader.ReadToEnd());
    }

    /// <summary>Runs the script through <paramref name="db"/> (an <see cref="IDatabase"/> or an <see cref="ITransaction"/>/batch).</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(_sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(Text, keys, args).ConfigureAwait(false);
        }
    }
}
