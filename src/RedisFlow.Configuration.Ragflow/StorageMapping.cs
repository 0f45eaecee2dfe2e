using System.Globalization;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>
/// <c>STORAGE_IMPL</c> (default <c>MINIO</c>) picks RAGFlow's storage connector and its section. MINIO, AWS_S3 and OSS
/// map onto RedisFlow's S3 provider, each with its own key layout; AZURE_SAS onto the Azure provider. The others
/// (AZURE_SPN, GCS, OPENDAL) have no RedisFlow provider and are refused.
/// </summary>
internal static class StorageMapping
{
    public static void Apply(
        IReadOnlyDictionary<string, object?> conf, Func<string, string?> environment, bool encryptedPasswords, Dictionary<string, string?> values, List<string> notes)
    {
        var impl = environment("STORAGE_IMPL");
        impl = string.IsNullOrWhiteSpace(impl) ? "MINIO" : impl.Trim();
        switch (impl)
        {
            case "MINIO":
                Minio(Section(conf, "minio", impl), encryptedPasswords, values);
                break;
            case "AWS_S3":
                S3Style(Section(conf, "s3", impl), "AwsS3", defaultPathStyle: false, values, notes);
                break;
            case "OSS":
                S3Style(Section(conf, "oss", impl), "Oss", defaultPathStyle: false, values, notes);
                break;
            case "AZURE_SAS":
                AzureSas(Section(conf, "azure", impl), environment, values);
                break;
            default:
                throw new RedisFlowConfigurationException(
                    "STORAGE_IMPL",
                    $"is '{impl}'; RedisFlow reads RAGFlow's files from MINIO, AWS_S3, OSS or AZURE_SAS (AZURE_SPN, GCS and OPENDAL have no RedisFlow provider).");
        }
    }

    private static ConfSection Section(IReadOnlyDictionary<string, object?> conf, string name, string impl) =>
        ConfSection.Find(conf, name)
        ?? throw new RedisFlowConfigurationException(name, $"is missing from service_conf.yaml, which STORAGE_IMPL={impl} needs.");

    // RAGFlow's minio_conn.py: host is host:port, secure picks https, user/password are the keys.
    private static void Minio(ConfSection minio, bool encryptedPasswords, Dictionary<string, string?> values)
    {
        var host = minio.Required("host", "it names the MinIO server as host:port.");
        var secure = minio.Flag("secure") ?? false;
        if (secure && minio.Flag("verify") == false)
        {
            throw new RedisFlowConfigurationException(
                minio.Path("verify"), "is false: RedisFlow always verifies the MinIO server's certificate. Trust its CA on this machine, or give Storage__Endpoint explicitly.");
        }

        values["Storage:Provider"] = "s3";
        values["Storage:Layout"] = "Minio";
        values["Storage:Endpoint"] = (secure ? "https://" : "http://") + host;
        values["Storage:ForcePathStyle"] = "true";
        values.SetIfPresent("Storage:AccessKey", minio.Get("user"));
        values.SetIfPresent("Storage:Bucket", minio.Get("bucket"));
        values.SetIfPresent("Storage:Prefix", minio.Get("prefix_path"));
        var password = minio.Get("password");
        if (password is not null && encryptedPasswords)
        {
            ConfFlags.MarkEncrypted(values, "Storage:SecretKey");
            return;
        }

        values.SetIfPresent("Storage:SecretKey", password);
    }

    // RAGFlow's s3_conn.py and oss_conn.py: boto3 with endpoint_url, region, signature_version and addressing_style.
    private static void S3Style(ConfSection section, string layout, bool defaultPathStyle, Dictionary<string, string?> values, List<string> notes)
    {
        if (section.Get("session_token") is not null)
        {
            throw new RedisFlowConfigurationException(section.Path("session_token"), "is set: RedisFlow's S3 provider signs with an access key and secret key only; give a long-lived key pair.");
        }

        values["Storage:Provider"] = "s3";
        values["Storage:Layout"] = layout;
        values.SetIfPresent("Storage:Endpoint", section.Get("endpoint_url"));
        // s3_conn.py reads region_name; the docker template and oss_conn.py write region.
        values.SetIfPresent("Storage:Region", section.Get("region_name") ?? section.Get("region"));
        values.SetIfPresent("Storage:AccessKey", section.Get("access_key"));
        values.SetIfPresent("Storage:SecretKey", section.Get("secret_key"));
        values.SetIfPresent("Storage:Bucket", section.Get("bucket"));
        values.SetIfPresent("Storage:Prefix", section.Get("prefix_path"));
        values["Storage:ForcePathStyle"] = section.Get("addressing_style")?.ToLowerInvariant() switch
        {
            null or "auto" => defaultPathStyle ? "true" : "false",
            "path" => "true",
            "virtual" => "false",
            var other => throw new RedisFlowConfigurationException(section.Path("addressing_style"), $"is '{other}'; boto3 knows path, virtual and auto."),
        };
        switch (section.Get("signature_version")?.ToLowerInvariant())
        {
            case null or "s3v4" or "v4":
                break;
            case "s3":
                notes.Add($"{section.Path("signature_version")} is 's3' (SigV2): RedisFlow signs with SigV4, which AWS S3 and Alibaba OSS both accept.");
                break;
            case var other:
                throw new RedisFlowConfigurationException(section.Path("signature_version"), $"is '{other}'; RedisFlow signs S3 requests with SigV4 (s3v4).");
        }
    }

    // RAGFlow's azure_sas_conn.py: CONTAINER_URL and SAS_TOKEN from the environment win over the section, and
    // blobs are named by their location alone.
    private static void AzureSas(ConfSection azure, Func<string, string?> environment, Dictionary<string, string?> values)
    {
        values["Storage:Provider"] = "azure";
        values["Storage:IncludeBucket"] = "false";
        values.SetIfPresent("Storage:ContainerUrl", Present(environment("CONTAINER_URL")) ?? azure.Get("container_url"));
        values.SetIfPresent("Storage:SasToken", Present(environment("SAS_TOKEN")) ?? azure.Get("sas_token"));
    }

    private static string? Present(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
