using System.Data.Common;
using System.Globalization;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>
/// <c>DB_TYPE</c> (default <c>mysql</c>) picks the section RAGFlow's task tables live in: <c>mysql</c> or
/// <c>postgres</c>, each with <c>name</c>, <c>user</c>, <c>password</c>, <c>host</c> and <c>port</c>.
/// </summary>
internal static class DatabaseMapping
{
    public static void Apply(IReadOnlyDictionary<string, object?> conf, Func<string, string?> environment, bool encryptedPasswords, Dictionary<string, string?> values)
    {
        var type = environment("DB_TYPE");
        type = string.IsNullOrWhiteSpace(type) ? "mysql" : type.Trim();
        var (provider, defaultPort) = type.ToLowerInvariant() switch
        {
            "mysql" => ("mysql", 3306),
            "postgres" => ("postgres", 5432),
            _ => throw new RedisFlowConfigurationException("DB_TYPE", $"is '{type}'; RedisFlow reads RAGFlow's task tables from mysql or postgres only."),
        };

        var section = ConfSection.Find(conf, type.ToLowerInvariant())
            ?? throw new RedisFlowConfigurationException($"{type.ToLowerInvariant()}", $"is missing from service_conf.yaml, which DB_TYPE={type} needs.");
        var host = section.Required("host", "it names the task database's server.");
        var port = section.Get("port") ?? defaultPort.ToString(CultureInfo.InvariantCulture);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new RedisFlowConfigurationException(section.Path("port"), $"is '{port}', which is not a port number.");
        }

        var builder = new DbConnectionStringBuilder();
        var password = section.Get("password");
        if (provider == "mysql")
        {
            builder["Server"] = host;
            builder["Port"] = portNumber;
            builder["User ID"] = section.Get("user") ?? "root";
            builder["Database"] = section.Get("name") ?? "rag_flow";
        }
        else
        {
            builder["Host"] = host;
            builder["Port"] = portNumber;
            builder["Username"] = section.Get("user") ?? "rag_flow";
            builder["Database"] = section.Get("name") ?? "rag_flow";
        }

        values["TaskSource:Provider"] = provider;
        if (password is not null && encryptedPasswords)
        {
            ConfFlags.MarkEncrypted(values, "TaskSource:ConnectionString");
            return;
        }

        if (password is not null)
        {
            builder["Password"] = password;
        }

        values["TaskSource:ConnectionString"] = builder.ConnectionString;
    }
}
