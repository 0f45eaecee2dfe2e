using System.Globalization;
using System.Text;
using RedisFlow.Tasks.MySql;
using RedisFlow.Tasks.PostgreSql;
using RedisFlow.Tasks.Sqlite;

namespace RedisFlow.SampleData.Schema;

/// <summary>
/// Renders <see cref="Table"/> definitions as idempotent DDL (<c>CREATE TABLE IF NOT EXISTS</c>, indexes only where
/// missing) for one database: the statement shape is shared, each dialect names the types that differ between
/// databases and says where its indexes go.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>MySQL and MariaDB.</summary>
    public static SqlDialect MySql { get; } = new MySqlDialect();

    /// <summary>PostgreSQL.</summary>
    public static SqlDialect PostgreSql { get; } = new PostgreSqlDialect();

    /// <summary>SQLite.</summary>
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    /// <summary>The dialect of a task-source provider (the value of <c>TaskSource:Provider</c>: sqlite, mysql, postgres).</summary>
    /// <exception cref="RedisFlowConfigurationException">No dialect is known for the provider.</exception>
    public static SqlDialect ForProvider(string provider)
    {
        if (string.Equals(provider, SqliteTaskSourceFactory.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite;
        }

        if (string.Equals(provider, MySqlTaskSource.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return MySql;
        }

        if (string.Equals(provider, PostgreSqlTaskSource.ProviderName, StringComparison.OrdinalIgnoreCase))
        {
            return PostgreSql;
        }

        throw new RedisFlowConfigurationException("TaskSource:Provider", $"is '{provider}', for which there is no DDL of RAGFlow's tables (sqlite, mysql, postgres).");
    }

    /// <summary>The DDL creating <paramref name="tables"/> and their indexes where missing, each statement ending in <c>;</c>.</summary>
    public string Render(IEnumerable<Table> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sql = new StringBuilder();
        foreach (var table in tables)
        {
            var lines = table.Columns.Select(column => ColumnLine(table, column));
            if (IndexesInline)
            {
                lines = lines.Concat(table.Indexes.Select(index => $"INDEX {index.Name} ({index.Column})"));
            }

            sql.Append("CREATE TABLE IF NOT EXISTS ").Append(table.Name).Append(" (\n    ")
                .AppendJoin(",\n    ", lines)
                .Append("\n)").Append(TableOptions).Append(";\n");
            if (!IndexesInline)
            {
                foreach (var index in table.Indexes)
                {
                    sql.Append(CultureInfo.InvariantCulture, $"CREATE INDEX IF NOT EXISTS {index.Name} ON {table.Name} ({index.Column});\n");
                }
            }
        }

        return sql.ToString();
    }

    /// <summary>The type of <see cref="ColumnKind.LongText"/> columns.</summary>
    protected abstract string LongTextType { get; }

    /// <summary>The type of <see cref="ColumnKind.Float"/> columns.</summary>
    protected abstract string FloatType { get; }

    /// <summary>The type of <see cref="ColumnKind.DateTime"/> columns.</summary>
    protected abstract string DateTimeType { get; }

    /// <summary>
    /// Whether indexes are declared inside <c>CREATE TABLE</c> (MySQL, which has no <c>CREATE INDEX IF NOT EXISTS</c>)
    /// rather than as <c>CREATE INDEX IF NOT EXISTS</c> statements after it.
    /// </summary>
    protected virtual bool IndexesInline => false;

    /// <summary>What follows the closing parenthesis of <c>CREATE TABLE</c>, such as a character set.</summary>
    protected virtual string TableOptions => "";

    private string ColumnLine(Table table, Column column) =>
        $"{column.Name} {TypeOf(column)} {(column.Nullable ? "NULL" : "NOT NULL")}"
        + (column.Name == table.PrimaryKey ? " PRIMARY KEY" : "")
        + (column.Default is null ? "" : " DEFAULT " + column.Default);

    private string TypeOf(Column column) => column.Kind switch
    {
        ColumnKind.Varchar => string.Create(CultureInfo.InvariantCulture, $"VARCHAR({column.Length})"),
        ColumnKind.Text => "TEXT",
        ColumnKind.LongText => LongTextType,
        ColumnKind.Integer => "INTEGER",
        ColumnKind.BigInt => "BIGINT",
        ColumnKind.Float => FloatType,
        ColumnKind.DateTime => DateTimeType,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown column kind."),
    };
}
