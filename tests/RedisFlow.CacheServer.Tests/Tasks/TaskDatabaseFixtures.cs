using RedisFlow.Testing.Cache;

// One server per kind for the whole run, started by the first test that needs it and shared by all classes.
[assembly: AssemblyFixture(typeof(MySqlTaskDatabaseFixture))]
[assembly: AssemblyFixture(typeof(PostgreSqlTaskDatabaseFixture))]
