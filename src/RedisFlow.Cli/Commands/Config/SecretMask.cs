using System.Data.Common;
using System.Text.RegularExpressions;

namespace RedisFlow.Cli.Commands.Config;

/// <summary>Hides secrets in settings shown to an operator: whole values by name, and passwords inside connection strings.</summary>
internal static partial class SecretMask
{
    public const string Masked = "********";

    private static readonly HashSet<string> SecretNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Password", "SecretKey", "AccessKey", "SasToken", "Token", "Key",
    };

    private static readonly HashSet<string> SecretConnectionStringKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Password", "Pwd", "AccountKey", "SharedAccessSignature", "SharedAccessKey",
    };

    public static string? Apply(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var name = key[(key.LastIndexOf(':') + 1)..];
        if (SecretNames.Contains(name))
        {
            return Masked;
        }

        if (!name.Equals("ConnectionString", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        // StackExchange.Redis writes host:port,password=...; databases write key=value;...
        return key.StartsWith("Redis:", StringComparison.OrdinalIgnoreCase) ? RedisPassword().Replace(value, "${name}=" + Masked) : MaskConnectionString(value);
    }

    private static string MaskConnectionString(string value)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            return Masked;
        }

        foreach (var secret in builder.Keys.Cast<string>().Where(SecretConnectionStringKeys.Contains).ToList())
        {
            builder[secret] = Masked;
        }

        return builder.ConnectionString;
    }

    [GeneratedRegex("(?<name>password|pwd)=[^,]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RedisPassword();
}
