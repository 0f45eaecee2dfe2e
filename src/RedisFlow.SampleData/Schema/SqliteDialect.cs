namespace RedisFlow.SampleData.Schema;

/// <summary>SQLite: the type names peewee gives RAGFlow's fields there (SQLite reads them as its type affinities).</summary>
internal sealed class SqliteDialect : SqlDialect
{
    protected override string LongTextType => "TEXT";

    protected override string FloatType => "REAL";

    protected override string DateTimeType => "DATETIME";
}
