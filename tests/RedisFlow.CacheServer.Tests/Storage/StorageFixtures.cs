using RedisFlow.Testing.Cache;

// One emulator per kind for the whole run, started by the first test that needs it and shared by all classes.
[assembly: AssemblyFixture(typeof(S3FileStorageFixture))]
[assembly: AssemblyFixture(typeof(S3SingleBucketFileStorageFixture))]
[assembly: AssemblyFixture(typeof(AzureBlobFileStorageFixture))]
