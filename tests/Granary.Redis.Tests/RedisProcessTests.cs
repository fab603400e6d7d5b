namespace Granary.Redis.Tests;

/// <summary>The fixtures stand on <see cref="Executable.Find(string, string)"/>: a machine without the server gets told what to install.</summary>
public sealed class RedisProcessTests
{
    [Fact]
    public void Find_BinaryInNoFolder_SaysWhichPackageToInstall()
    {
        var empty = Directory.CreateTempSubdirectory("granary-no-redis-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => Executable.Find("redis-server", "redis-server", [empty]));

            Assert.Equal("redis-server not found: apt-get install redis-server", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
