using System.Reflection;

namespace RedisFlow.Tests.Connection;

/// <summary>Rules of the public surface, enforced so they survive new code.</summary>
public sealed class ApiConventionTests
{
    private static readonly Assembly Library = typeof(RedisDb).Assembly;

    [Fact]
    public void Public_classes_are_sealed_static_or_abstract()
    {
        var open = Library.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !typeof(Delegate).IsAssignableFrom(t))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(open);
    }

    [Fact]
    public void Every_public_async_method_of_RedisDb_takes_a_cancellation_token()
    {
        var missing = typeof(RedisDb).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || m.ReturnType.Name.StartsWith("ValueTask", StringComparison.Ordinal)
                        || m.ReturnType.Name.StartsWith("IAsyncEnumerable", StringComparison.Ordinal))
            .Where(m => m.Name != nameof(RedisDb.DisposeAsync))
            .Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken)))
            .Select(m => m.Name)
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Public_types_are_documented_in_the_xml_doc_file()
    {
        var xml = Path.ChangeExtension(Library.Location, ".xml");
        Assert.True(File.Exists(xml), "the library must ship its XML documentation");
        var text = File.ReadAllText(xml);
        var undocumented = Library.GetExportedTypes()
            .Where(t => !text.Contains($"\"T:{t.FullName}\"", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(undocumented);
    }
}
