using System.Security.Authentication;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace RedisFlow;

/// <summary>
/// Turns a connection failure or an error reply into a <see cref="RedisConnectionProblem"/> naming the setting to
/// fix: an untrusted TLS certificate, a rejected password, an ACL user without a permission.
/// </summary>
internal static partial class RedisProblemClassifier
{
    public static RedisConnectionProblem? Classify(ConnectionFailureType? failureType, Exception? exception, RedisDbOptions options)
    {
        var texts = Chain(exception).Select(e => e.Message).ToList();
        bool Mentions(string word) => texts.Exists(t => t.Contains(word, StringComparison.OrdinalIgnoreCase));

        var noPerm = texts.Find(t => t.Contains("NOPERM", StringComparison.Ordinal));
        if (noPerm is not null)
        {
            return NoPermission(noPerm, options);
        }

        // Redis 7.0 words an ACL denial inside a script without NOPERM and without the command's name.
        var scriptDenial = texts.Find(Scripts.ScriptDenial.IsDenial);
        if (scriptDenial is not null)
        {
            return NoPermission(Scripts.ScriptDenial.Explain(scriptDenial), options);
        }

        if (Mentions("WRONGPASS") || Mentions("invalid username-password") || Mentions("NOAUTH") ||
            (failureType == ConnectionFailureType.AuthenticationFailure && !Chain(exception).Any(e => e is AuthenticationException)))
        {
            var user = options.Username ?? "default";
            return new RedisConnectionProblem("Redis:Password",
                $"Redis rejected the credentials of user '{user}' (WRONGPASS/NOAUTH): check Redis:Password (--password, Redis__Password) " +
                "and Redis:Username (--user), or the user=/password= of Redis:ConnectionString.");
        }

        var tls = Chain(exception).FirstOrDefault(e => e is AuthenticationException);
        if (tls is not null || Mentions("certificate"))
        {
            // Only the TLS exception's own short message: other texts here may be a whole connect log.
            var detail = tls is null ? "certificate validation failed" : Trim(tls.Message);
            return new RedisConnectionProblem("Redis:Ssl:CaCertificateFile",
                $"the Redis server's TLS certificate is not trusted ({detail}): give the CA that signed it with --cacert / " +
                "Redis:Ssl:CaCertificateFile (or --insecure / Redis:Ssl:Insecure to skip verification, which is unsafe).");
        }

        return null;
    }

    private static RedisConnectionProblem NoPermission(string reply, RedisDbOptions options)
    {
        var user = options.Username ?? "default";
        var command = CommandName().Match(reply);
        var rule = command.Success ? "+" + command.Groups[1].Value.ToLowerInvariant()
            : reply.Contains("key", StringComparison.OrdinalIgnoreCase) ? "a key pattern such as ~* (or ~prefix*)"
            : reply.Contains("channel", StringComparison.OrdinalIgnoreCase) ? "&redisflow:lock-released:* (the lock release channels; &* allows every channel)"
            : "the rule the reply names";
        return new RedisConnectionProblem("Redis:Username",
            $"Redis user '{user}' lacks a permission ({Trim(reply)}): grant it with ACL SETUSER {user} {rule}, or use a user with the rules " +
            "docs/production-redis.md lists for this component (Redis:Username, --user).");
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static string Trim(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    [GeneratedRegex(@"run the '([^']+)' command", RegexOptions.IgnoreCase)]
    private static partial Regex CommandName();
}
