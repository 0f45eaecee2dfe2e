using RedisFlow.Testing.Cache;

// One redis-server for the whole run; a Redis Cluster and the task databases are started by the first test that needs them.
[assembly: AssemblyFixture(typeof(RedisFixture))]
[assembly: AssemblyFixture(typeof(LargeValueClusterFixture))]
[assembly: AssemblyFixture(typeof(MySqlTaskDatabaseFixture))]
[assembly: AssemblyFixture(typeof(PostgreSqlTaskDatabaseFixture))]
