using System.Text;
using HueyP.MarketData.Ticks;

namespace HueyP.MarketData.Tests;

public class Utf8LineReaderTests
{
    private static List<(long Line, string Text)> ReadAll(string content, int bufferSize)
    {
        using var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes(content)), bufferSize);
        var lines = new List<(long, string)>();
        while (reader.TryReadLine(out var line))
            lines.Add((reader.LineNumber, Encoding.UTF8.GetString(line)));
        return lines;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4096)]
    public void Lines_split_across_buffer_refills_and_longer_than_the_buffer_come_back_whole(int bufferSize)
    {
        var longLine = new string('x', 100);
        var lines = ReadAll($"first line here\r\n{longLine}\r\n\r\nlast without newline", bufferSize);

        Assert.Equal([(1L, "first line here"), (2L, longLine), (3L, ""), (4L, "last without newline")], lines);
    }

    [Fact]
    public void A_final_newline_does_not_make_an_extra_empty_line()
    {
        Assert.Equal([(1L, "a"), (2L, "b")], ReadAll("a\nb\n", 16));
    }
}
