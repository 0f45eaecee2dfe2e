namespace RedisFlow.CacheServer.Providers;

/// <summary>What <see cref="ITaskSourceFactory.CreateTablesAsync"/> made ready.</summary>
/// <param name="Database">Where: a file, or server, database and user; never a password.</param>
/// <param name="Tables">The tables now present, in creation order.</param>
public sealed record TaskTables(string Database, IReadOnlyList<string> Tables);
