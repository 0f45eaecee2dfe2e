using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>
/// Reads RAGFlow's <c>service_conf.yaml</c> as RAGFlow does: the file, then <c>local.service_conf.yaml</c> beside it,
/// whose top-level sections replace the file's whole sections (no deep merge). Scalars are strings; the docker
/// template's <c>${VAR:-default}</c> forms are expanded from the environment.
/// </summary>
internal static class ServiceConfFile
{
    /// <summary>The merged top-level sections.</summary>
    /// <exception cref="RedisFlowConfigurationException">A file is missing, not YAML, or not a mapping at its top.</exception>
    public static IReadOnlyDictionary<string, object?> Load(string path, Func<string, string?> environment)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new RedisFlowConfigurationException("--ragflow-conf", $"names '{path}', which does not exist or is a directory.");
        }

        var merged = new Dictionary<string, object?>(ReadTopLevel(full, environment), StringComparer.Ordinal);
        var local = Path.Combine(Path.GetDirectoryName(full)!, "local." + Path.GetFileName(full));
        if (File.Exists(local))
        {
            foreach (var (section, value) in ReadTopLevel(local, environment))
            {
                merged[section] = value;
            }
        }

        return merged;
    }

    private static Dictionary<string, object?> ReadTopLevel(string file, Func<string, string?> environment)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(file);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            // The parser's message quotes the offending text, which may be a password: give the position only.
            throw new RedisFlowConfigurationException(file, string.Create(CultureInfo.InvariantCulture, $"is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column})."));
        }

        if (stream.Documents.Count == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new RedisFlowConfigurationException(file, "does not hold a mapping of sections (redis:, mysql:, minio:, ...) at its top level.");
        }

        return (Dictionary<string, object?>)Convert(root, environment)!;
    }

    private static object? Convert(YamlNode node, Func<string, string?> environment) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? string.Empty,
            pair => Convert(pair.Value, environment),
            StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(child => Convert(child, environment)).ToList(),
        YamlScalarNode scalar => IsNull(scalar) ? null : TemplateVariables.Expand(scalar.Value ?? string.Empty, environment),
        _ => null,
    };

    // YAML's null: `key:` or `key: ~` or `key: null`, unquoted.
    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && (string.IsNullOrEmpty(scalar.Value) || scalar.Value is "~" or "null" or "Null" or "NULL");
}
