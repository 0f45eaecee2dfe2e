using RedisFlow.Testing.Fixtures;

// One redis-server for the whole run, and one Redis Cluster started by the first test that needs it.
[assembly: AssemblyFixture(typeof(RedisFixture))]
[assembly: AssemblyFixture(typeof(LargeValueClusterFixture))]
