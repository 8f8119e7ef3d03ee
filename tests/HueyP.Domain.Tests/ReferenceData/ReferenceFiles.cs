using System.Globalization;
using System.Runtime.CompilerServices;

namespace HueyP.Domain.Tests.ReferenceData;

/// <summary>
/// Finds files under ReferenceData/: next to the test assembly when the build copies them,
/// otherwise in the source tree (located from this file's compile-time path), so a fresh clone works either way.
/// </summary>
internal static class ReferenceFiles
{
    public static string PathOf(string relative, [CallerFilePath] string callerFile = "")
    {
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, "ReferenceData", relative);
        if (File.Exists(besideAssembly)) return besideAssembly;
        var inSource = Path.Combine(SourceFolder(), relative);
        if (File.Exists(inSource)) return inSource;
        throw new FileNotFoundException($"Reference file '{relative}' is neither in {besideAssembly} nor in {inSource}.");
    }

    /// <summary>A file of the repository itself (e.g. <c>data/constraints.json</c>), found by walking up from the source folder.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(SourceFolder()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Repository file '{relative}' not found above {SourceFolder()}.");
    }

    private static string SourceFolder([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;

    /// <summary>Rows of a CSV file (header skipped); tolerates CRLF and a byte-order mark.</summary>
    public static IReadOnlyList<string[]> ReadCsv(string relative)
    {
        var lines = File.ReadAllLines(PathOf(relative));
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.TrimEnd('\r').Split(',')).ToList();
    }

    /// <summary>Parses a cell; an empty cell is a warm-up gap and reads as null.</summary>
    public static double? Cell(string text) =>
        text.Length == 0 ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public sealed record DailyBar(DateTime Date, double Open, double High, double Low, double Close, double Volume);

    public static IReadOnlyList<DailyBar> DefaultBars() =>
        ReadCsv("indicators/default.csv").Select(r => new DailyBar(
            DateTime.ParseExact(r[0], "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Cell(r[1])!.Value, Cell(r[2])!.Value, Cell(r[3])!.Value, Cell(r[4])!.Value, Cell(r[5])!.Value)).ToList();
}
