using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.EndToEnd;

// The end-to-end suite on every task source × storage kind against real servers (SQLite × local is in
// SqliteLocalEndToEndTests). MariaDB, PostgreSQL, s3rver and Azurite are assembly fixtures shared by all classes.

public sealed class MySqlLocalEndToEndTests(RedisFixture redis, MySqlTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<LocalFileStorageFixture>;

public sealed class MySqlS3EndToEndTests(RedisFixture redis, MySqlTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class MySqlS3SingleBucketEndToEndTests(RedisFixture redis, MySqlTaskDatabaseFixture databases, S3SingleBucketFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class MySqlAzureEndToEndTests(RedisFixture redis, MySqlTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class PostgreSqlLocalEndToEndTests(RedisFixture redis, PostgreSqlTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<LocalFileStorageFixture>;

public sealed class PostgreSqlS3EndToEndTests(RedisFixture redis, PostgreSqlTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class PostgreSqlAzureEndToEndTests(RedisFixture redis, PostgreSqlTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores);

public sealed class SqliteS3EndToEndTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, S3FileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<SqliteTaskDatabaseFixture>;

public sealed class SqliteAzureEndToEndTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, AzureBlobFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<SqliteTaskDatabaseFixture>;
