using System.Globalization;

namespace RedisFlow.Storage.S3;

/// <summary>
/// Settings of the S3-compatible storage, bound from the <c>Storage</c> section (<c>Storage:Endpoint</c>,
/// <c>Storage:AccessKey</c>, ...). With no <see cref="Bucket"/> the layout is RAGFlow's MinIO default: the
/// bucket is the document's bucket id and the object key is its location. With a <see cref="Bucket"/> it is RAGFlow's
/// single-bucket mode: that bucket holds <c>[&lt;prefix&gt;/]&lt;bucket id&gt;/&lt;location&gt;</c>.
/// </summary>
public sealed class S3StorageOptions
{
    /// <summary>
    /// The service URL, for example <c>http://127.0.0.1:9000</c> for MinIO (RAGFlow's <c>MINIO.host</c> with a scheme).
    /// Empty for AWS S3 itself, which then needs <see cref="Region"/>.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The access key id (RAGFlow's <c>MINIO.user</c>). Empty for anonymous access.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key (RAGFlow's <c>MINIO.password</c>). Never logged nor put in a message.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The signing region; <c>us-east-1</c> when empty, which MinIO accepts.</summary>
    public string? Region { get; set; }

    /// <summary>Single-bucket mode: the one physical bucket (RAGFlow's <c>MINIO.bucket</c>). Empty: a bucket per bucket id.</summary>
    public string? Bucket { get; set; }

    /// <summary>A key prefix before everything else (RAGFlow's <c>MINIO.prefix_path</c>), without slashes at the ends.</summary>
    public string? Prefix { get; set; }

    /// <summary>
    /// Which of RAGFlow's connectors wrote the files: <see cref="S3KeyLayout.Minio"/> (default), <c>AwsS3</c> or
    /// <c>Oss</c>. They map the bucket id and location to keys differently.
    /// </summary>
    public S3KeyLayout Layout { get; set; } = S3KeyLayout.Minio;

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), which MinIO and most S3-compatible servers need. Default true.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>How many times the SDK retries a failed request before the error reaches the daemon. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// How long one request may take before it fails, and how long the body of an object may go without sending a
    /// byte (the SDK's timeout ends once the headers arrive, so a server stalling mid-body would hold the daemon's
    /// fetch forever). Default 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws naming the first bad setting (<c>Storage:Endpoint</c>, ...).</summary>
    /// <param name="section">The configuration path of these options, used in the message; <c>Storage</c> by default.</param>
    /// <exception cref="RedisFlowConfigurationException">A setting is missing or invalid.</exception>
    public void Validate(string section = "Storage")
    {
        if (!string.IsNullOrWhiteSpace(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new RedisFlowConfigurationException($"{section}:Endpoint", "is not an absolute http:// or https:// URL, for example http://127.0.0.1:9000.");
        }

        if (!string.IsNullOrWhiteSpace(Endpoint) && Uri.TryCreate(Endpoint, UriKind.Absolute, out var withUser) && withUser.UserInfo.Length > 0)
        {
            // Never echo it: the user part is an access key and a secret. It would also be logged with the endpoint.
            throw new RedisFlowConfigurationException($"{section}:Endpoint", "holds credentials (user:secret@) inside the URL; give the URL without them and the keys in Storage:AccessKey and Storage:SecretKey.");
        }

        if (!string.IsNullOrWhiteSpace(Bucket) && !StorageNames.IsS3Bucket(Bucket))
        {
            throw new RedisFlowConfigurationException($"{section}:Bucket", $"is '{Bucket}', which S3 does not accept as a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no '..', not an IP address.");
        }

        if (string.IsNullOrWhiteSpace(Endpoint) && string.IsNullOrWhiteSpace(Region))
        {
            throw new RedisFlowConfigurationException($"{section}:Region", "is not set; give the AWS region (for example eu-west-1), or set Storage:Endpoint for MinIO and other S3-compatible servers.");
        }

        if (string.IsNullOrWhiteSpace(AccessKey) != string.IsNullOrWhiteSpace(SecretKey))
        {
            var missing = string.IsNullOrWhiteSpace(AccessKey) ? "AccessKey" : "SecretKey";
            throw new RedisFlowConfigurationException($"{section}:{missing}", "is not set; give both Storage:AccessKey and Storage:SecretKey, or neither for anonymous access.");
        }

        if (MaxRetries is < 0 or > 10)
        {
            throw new RedisFlowConfigurationException($"{section}:MaxRetries", string.Create(CultureInfo.InvariantCulture, $"is {MaxRetries}; it must be between 0 and 10."));
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new RedisFlowConfigurationException($"{section}:Timeout", string.Create(CultureInfo.InvariantCulture, $"is {Timeout}; it must be positive, for example 00:00:30."));
        }
    }

    /// <summary>The settings without the secret key, for logs.</summary>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Endpoint={(string.IsNullOrWhiteSpace(Endpoint) ? "(AWS)" : Endpoint)}, Region={Region ?? "us-east-1"}, Bucket={(string.IsNullOrWhiteSpace(Bucket) ? "(one per bucket id)" : Bucket)}, Prefix={Prefix}, Layout={Layout}, ForcePathStyle={ForcePathStyle}, Credentials={(string.IsNullOrWhiteSpace(AccessKey) ? "(anonymous)" : "(set)")}");
}
