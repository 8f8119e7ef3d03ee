using System.IO.Compression;

namespace HueyP.MarketData.Ticks;

/// <summary>Opens recorded market data for sequential reading.</summary>
public static class DataFile
{
    private const int FileBufferSize = 1 << 16;

    /// <summary>
    /// Opens <paramref name="path"/>, decompressing gzip transparently. Gzip is recognised by its magic bytes rather than
    /// the file name so a renamed or extension-less download still reads.
    /// </summary>
    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Creates a file for writing, gzip-compressed when the name ends in ".gz".</summary>
    public static Stream Create(string path)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferSize);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: false)
            : file;
    }
}
