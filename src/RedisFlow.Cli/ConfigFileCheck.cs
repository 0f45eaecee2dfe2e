using System.Text.Json;

namespace RedisFlow.Cli;

/// <summary>
/// Reads a JSON configuration file before the configuration system does, so a file that cannot be used is
/// reported by file, line and setting name, and never with its text: the JSON parser's own message quotes the
/// bad token, which may be a password.
/// </summary>
internal static class ConfigFileCheck
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws <see cref="RedisFlowConfigurationException"/> naming <paramref name="setting"/> when <paramref name="file"/> is not a JSON object.</summary>
    public static void Check(string file, string setting)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RedisFlowConfigurationException(setting, $"names '{file}', which cannot be read: {ex.GetType().Name}.");
        }

        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        var path = new List<string>();
        var pendingName = (string?)null;
        var lastLine = 1;
        try
        {
            if (!reader.Read())
            {
                throw new RedisFlowConfigurationException(setting, $"names '{file}', which is empty; it must hold a JSON object such as {{\"Redis\": {{\"Host\": \"localhost:6379\"}}}}.");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new RedisFlowConfigurationException(setting, $"names '{file}', whose top level is a {Describe(reader.TokenType)}, not a JSON object of settings.");
            }

            do
            {
                lastLine = LineOf(bytes, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        path.Add(pendingName ?? "0");
                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    default:
                        pendingName = null;
                        break;
                }
            }
            while (reader.Read());
        }
        catch (JsonException ex)
        {
            // The message of ex quotes the file's text (a password, maybe): only its position is used.
            var line = ex.LineNumber is { } l ? (int)l + 1 : lastLine;
            var names = path.Skip(1).Append(pendingName).Where(n => !string.IsNullOrEmpty(n));
            var name = string.Join(':', names);
            var where = name.Length > 0 ? $"at setting '{name}'" : "before the first setting";
            throw new RedisFlowConfigurationException(setting, $"names '{file}', which is not valid JSON: line {line}, {where} (a string value needs double quotes; the text is not shown, it may be a secret).");
        }
    }

    private static int LineOf(byte[] bytes, long index)
    {
        var line = 1;
        for (var i = 0; i < index && i < bytes.Length; i++)
        {
            line += bytes[i] == (byte)'\n' ? 1 : 0;
        }

        return line;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
