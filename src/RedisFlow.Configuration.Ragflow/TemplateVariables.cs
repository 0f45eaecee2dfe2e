using System.Text.RegularExpressions;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>
/// Expands the variable forms of RAGFlow's docker template (<c>docker/service_conf.yaml.template</c>), as its
/// entrypoint renders them with the shell: <c>${VAR:-default}</c> takes the default when VAR is unset or empty,
/// <c>${VAR}</c> becomes empty when unset. A file already rendered holds none of them and passes through.
/// </summary>
internal static partial class TemplateVariables
{
    public static string Expand(string value, Func<string, string?> environment)
    {
        if (!value.Contains("${", StringComparison.Ordinal))
        {
            return value;
        }

        return Variable().Replace(value, match =>
        {
            var set = environment(match.Groups["name"].Value);
            if (!string.IsNullOrEmpty(set))
            {
                return set;
            }

            return match.Groups["default"].Success ? match.Groups["default"].Value : string.Empty;
        });
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();
}
