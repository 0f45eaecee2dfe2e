using RedisFlow.CacheServer.Tests.Infrastructure;
using RedisFlow.Testing.Cache;

namespace RedisFlow.CacheServer.Tests.EndToEnd;

/// <summary>The end-to-end suite on the embedded defaults: SQLite task database × local folder storage.</summary>
public sealed class SqliteLocalEndToEndTests(RedisFixture redis, SqliteTaskDatabaseFixture databases, LocalFileStorageFixture stores)
    : CacheEndToEndTests(redis, databases, stores), IClassFixture<SqliteTaskDatabaseFixture>, IClassFixture<LocalFileStorageFixture>;
