namespace RedisFlow.SampleData.Schema;

/// <summary>MySQL/MariaDB: the types peewee gives RAGFlow's fields there, indexes inside the table, utf8mb4.</summary>
internal sealed class MySqlDialect : SqlDialect
{
    protected override string LongTextType => "LONGTEXT";

    protected override string FloatType => "FLOAT";

    protected override string DateTimeType => "DATETIME";

    protected override bool IndexesInline => true;

    protected override string TableOptions => " DEFAULT CHARSET = utf8mb4";
}
