using Microsoft.Extensions.DependencyInjection;
using RedisFlow.CacheServer.DependencyInjection;
using RedisFlow.Storage.Azure;
using RedisFlow.Storage.Encryption;
using RedisFlow.Storage.S3;
using RedisFlow.Tasks.MySql;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.Cli.Commands.Cache;

/// <summary>The task sources and storages the CLI offers: one line per provider (plus its project reference).</summary>
internal static class CacheProviders
{
    public static IServiceCollection AddCacheProviders(this IServiceCollection services)
    {
        services.AddSqliteTaskSource();
        services.AddLocalFileStorage();
        services.AddMySqlTaskSource();
        services.AddPostgreSqlTaskSource();
        services.AddS3FileStorage();
        services.AddAzureBlobFileStorage();
        services.AddRagflowStorageEncryption();
        return services;
    }
}
