using System.Globalization;
using System.Text.RegularExpressions;

namespace RedisFlow.Scripts;

/// <summary>
/// Names the command an ACL denied inside a script loaded from resources (RedisFlow's, the cache daemon's). Redis
/// 7.0 reports such a denial without the command (<c>ERR The user executing the script can't run this command or
/// subcommand script: SHA, on @user_script:LINE.</c>); the SHA and line identify the embedded script and its
/// <c>redis.call</c>, so the error can say which rule to add, as Redis 7.2's own <c>NOPERM ... run the 'x' command</c> does.
/// </summary>
/// <remarks>
/// Any script loaded by <see cref="RedisLuaScript.FromResource(System.Reflection.Assembly, string)"/> is known here,
/// whichever assembly embeds it (the cache daemon's scripts are the daemon's): a script runs only after it is loaded.
/// </remarks>
internal static partial class ScriptDenial
{
    private const string Marker = "can't run this command or subcommand";

    /// <summary>Whether <paramref name="message"/> is Redis 7.0's ACL denial inside a script.</summary>
    public static bool IsDenial(string message) => message.Contains(Marker, StringComparison.Ordinal);

    /// <summary>
    /// A NOPERM text naming the denied command (<c>run the 'pexpire' command</c>) when the script and line are
    /// RedisFlow's, else the reply marked as NOPERM.
    /// </summary>
    public static string Explain(string message)
    {
        var where = Location().Match(message);
        if (where.Success && RedisLuaScript.FindLoaded(where.Groups[1].Value.ToLowerInvariant()) is { } script
            && int.TryParse(where.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            && script.Text.Split('\n') is var lines && line >= 1 && line <= lines.Length)
        {
            var call = Call().Match(lines[line - 1]);
            if (call.Success)
            {
                return $"NOPERM this user has no permissions to run the '{call.Groups[1].Value.ToLowerInvariant()}' command (called by the script {script.Name}, line {line})";
            }
        }

        return "NOPERM " + message;
    }

    [GeneratedRegex(@"script: ([0-9a-fA-F]{40}), on @user_script:(\d+)")]
    private static partial Regex Location();

    [GeneratedRegex(@"redis\.(?:p?call)\(\s*'([A-Za-z|]+)'")]
    private static partial Regex Call();
}
