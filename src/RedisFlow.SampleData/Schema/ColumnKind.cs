namespace RedisFlow.SampleData.Schema;

/// <summary>
/// The logical type of a column, as peewee declares it in RAGFlow's <c>api/db/db_models.py</c>; each
/// <see cref="SqlDialect"/> names it in its own SQL.
/// </summary>
public enum ColumnKind
{
    /// <summary>CharField: <c>VARCHAR(length)</c> everywhere.</summary>
    Varchar,

    /// <summary>TextField: <c>TEXT</c> everywhere.</summary>
    Text,

    /// <summary>JSONField and LongTextField: <c>LONGTEXT</c> in MySQL, where <c>TEXT</c> stops at 64 KiB; <c>TEXT</c> elsewhere.</summary>
    LongText,

    /// <summary>IntegerField: <c>INTEGER</c>.</summary>
    Integer,

    /// <summary>BigIntegerField: <c>BIGINT</c>.</summary>
    BigInt,

    /// <summary>FloatField: <c>FLOAT</c> in MySQL, <c>REAL</c> elsewhere.</summary>
    Float,

    /// <summary>DateTimeField: <c>DATETIME</c>, or <c>TIMESTAMP</c> in PostgreSQL.</summary>
    DateTime,
}
