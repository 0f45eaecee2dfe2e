using System.CommandLine;

namespace RedisFlow.Cli;

/// <summary>Options every command takes (recursive), named after redis-cli's where one exists.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Redis = new("--redis") { Description = "Redis server as host:port (else the Redis config section, else a private redis-server)", Recursive = true };
    public static readonly Option<int?> Db = new("--db", "-n") { Description = "Database number (default 1, as RAGFlow)", Recursive = true };
    public static readonly Option<string?> User = new("--user") { Description = "ACL user name", Recursive = true };
    public static readonly Option<string?> Password = new("--password", "-a") { Description = "Password (prefer the Redis__Password environment variable)", Recursive = true };
    public static readonly Option<bool> Tls = new("--tls") { Description = "Connect with TLS", Recursive = true };
    public static readonly Option<string?> CaCert = new("--cacert") { Description = "CA certificate file (PEM) to trust", Recursive = true };
    public static readonly Option<string?> Cert = new("--cert") { Description = "Client certificate file (PEM)", Recursive = true };
    public static readonly Option<string?> Key = new("--key") { Description = "Client private key file (PEM)", Recursive = true };
    public static readonly Option<bool> Insecure = new("--insecure") { Description = "Skip TLS certificate verification (unsafe)", Recursive = true };
    public static readonly Option<string?> Config = new("--config") { Description = "Extra JSON configuration file (after appsettings.json)", Recursive = true };
    public static readonly Option<string?> RagflowConf = new("--ragflow-conf") { Description = "RAGFlow's conf/service_conf.yaml (with DB_TYPE, STORAGE_IMPL from the environment): Redis, task database and storage settings; explicit settings win", Recursive = true };
    public static readonly Option<bool> Json = new("--json") { Description = "Machine-readable JSON output", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Log at Information level", Recursive = true };

    public static void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Redis, Db, User, Password, Tls, CaCert, Cert, Key, Insecure, Config, RagflowConf, Json, Verbose })
        {
            root.Options.Add(option);
        }
    }
}
