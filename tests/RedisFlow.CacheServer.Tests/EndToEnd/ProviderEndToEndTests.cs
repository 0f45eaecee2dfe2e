using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.EndToEnd;

// The end-to-end suite on every task source × storage kind against real servers (SQLite × local is in
// SqliteLocalEndToEndTests). MariaDB, PostgreSQL, s3rver and Azurite are assembly fixtures shared by all classes.

public sealed class MySqlLocalEndToEndTests(CacheRedisFixture redis, MySqlTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<LocalFileStorageFixture>;

public sealed class MySqlS3EndToEndTests(CacheRedisFixture redis, MySqlTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class MySqlS3SingleBucketEndToEndTests(CacheRedisFixture redis, MySqlTaskDatabaseFixture databases, S3SingleBucketFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class MySqlAzureEndToEndTests(CacheRedisFixture redis, MySqlTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class PostgreSqlLocalEndToEndTests(CacheRedisFixture redis, PostgreSqlTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<LocalFileStorageFixture>;

public sealed class PostgreSqlS3EndToEndTests(CacheRedisFixture redis, PostgreSqlTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class PostgreSqlAzureEndToEndTests(CacheRedisFixture redis, PostgreSqlTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class SqliteS3EndToEndTests(CacheRedisFixture redis, SqliteTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<SqliteTaskDatabaseFixture>;

public sealed class SqliteAzureEndToEndTests(CacheRedisFixture redis, SqliteTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<SqliteTaskDatabaseFixture>;
