namespace RedisFlow.SampleData.Schema;

/// <summary>One column of a <see cref="Table"/>.</summary>
/// <param name="Name">The column name, RAGFlow's.</param>
/// <param name="Kind">The logical type.</param>
/// <param name="Length">The length of a <see cref="ColumnKind.Varchar"/>; unused otherwise.</param>
/// <param name="Nullable">Whether it may hold NULL.</param>
/// <param name="Default">The default as a SQL literal every dialect reads the same (<c>0</c>, <c>'local'</c>), or none.</param>
public sealed record Column(string Name, ColumnKind Kind, int Length = 0, bool Nullable = false, string? Default = null);
