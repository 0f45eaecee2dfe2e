namespace RedisFlow.SampleData.Schema;

/// <summary>One table: its columns in order, its primary key and its single-column indexes.</summary>
/// <param name="Name">The table name, RAGFlow's.</param>
/// <param name="PrimaryKey">The primary-key column.</param>
/// <param name="Columns">The columns, in creation order.</param>
/// <param name="IndexedColumns">The columns with an index of their own, in creation order.</param>
public sealed record Table(string Name, string PrimaryKey, IReadOnlyList<Column> Columns, IReadOnlyList<string> IndexedColumns)
{
    /// <summary>The indexes, named as peewee names them (<c>&lt;table&gt;_&lt;column&gt;</c>) so that a RAGFlow database already has them.</summary>
    public IEnumerable<TableIndex> Indexes => IndexedColumns.Select(column => new TableIndex($"{Name}_{column}", column));
}

/// <summary>A single-column index.</summary>
/// <param name="Name">The index name.</param>
/// <param name="Column">The indexed column.</param>
public sealed record TableIndex(string Name, string Column);
