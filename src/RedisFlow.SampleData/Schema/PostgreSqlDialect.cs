namespace RedisFlow.SampleData.Schema;

/// <summary>PostgreSQL: the types peewee gives RAGFlow's fields there.</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    protected override string LongTextType => "TEXT";

    protected override string FloatType => "REAL";

    protected override string DateTimeType => "TIMESTAMP";
}
