using System.IO.Compression;
using System.Text;

namespace HueyP.MarketData.Tests;

/// <summary>Paths to the shipped data and scratch files holding exactly the bytes a test writes.</summary>
internal sealed class TestFiles : IDisposable
{
    public static string Shipped(string name) => Path.Combine(AppContext.BaseDirectory, "fx", name);

    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "fx");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hueyp-md-tests", Guid.NewGuid().ToString("N"));

    public TestFiles() => Directory.CreateDirectory(_folder);

    public string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string WriteGzip(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind in temp is harmless.
        }
    }
}
