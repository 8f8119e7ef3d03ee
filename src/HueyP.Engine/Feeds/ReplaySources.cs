using System.Text.RegularExpressions;
using HueyP.MarketData.Dukascopy;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Ticks;
using HueyP.MarketData.Validation;

namespace HueyP.Engine.Feeds;

/// <summary>The replayable data found in files and folders, merged into one time-ordered feed.</summary>
public sealed record ReplaySources(IReplayableFeed Feed, IReadOnlyList<string> Descriptions, IReadOnlyList<string> Symbols);

/// <summary>
/// Recognizes recorded data by file name, so `hueyp replay --data data/fx` needs no other flag:
/// <list type="bullet">
/// <item><c>SYMBOL_M1_BID_*.csv[.gz]</c> with its <c>SYMBOL_M1_ASK_*</c> twin: a Dukascopy 1-minute export (four quotes per bar);</item>
/// <item><c>SYMBOL_ticks_*.csv[.gz]</c>: a HistData tick file without a symbol column, on New York standard time (+5 h to UTC);</item>
/// <item>any other <c>*.csv[.gz]</c>: a tick file whose rows name their symbol (e.g. SyntheticTickFile output), on UTC.</item>
/// </list>
/// </summary>
public static partial class ReplaySourceFinder
{
    [GeneratedRegex(@"^(?<symbol>[A-Za-z0-9]+)_M1_(?<side>BID|ASK)_(?<period>.+?)\.csv(\.gz)?$", RegexOptions.IgnoreCase)]
    private static partial Regex DukascopyName();

    [GeneratedRegex(@"^(?<symbol>[A-Za-z0-9]+)_ticks_.+?\.csv(\.gz)?$", RegexOptions.IgnoreCase)]
    private static partial Regex HistDataTicksName();

    /// <param name="paths">Files and folders (folders are searched one level deep).</param>
    /// <param name="symbols">When not empty, files of other symbols are not opened.</param>
    /// <exception cref="FileNotFoundException">A path does not exist, or no data file was recognized.</exception>
    public static ReplaySources Find(IEnumerable<string> paths, IReadOnlyCollection<string>? symbols = null, bool strict = false)
    {
        var validation = strict ? ValidationOptions.StrictMode : ValidationOptions.Lenient;
        var wanted = symbols is { Count: > 0 } ? new HashSet<string>(symbols, StringComparer.OrdinalIgnoreCase) : null;
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Directory.GetFiles(path).Where(f => Regex.IsMatch(f, @"\.csv(\.gz)?$", RegexOptions.IgnoreCase)));
            else if (File.Exists(path)) files.Add(path);
            else throw new FileNotFoundException($"No such file or folder: {path}", path);
        }

        files.Sort(StringComparer.Ordinal);
        var feeds = new List<IReplayableFeed>();
        var descriptions = new List<string>();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (used.Contains(file)) continue;
            var name = Path.GetFileName(file);
            if (DukascopyName().Match(name) is { Success: true } bars)
            {
                var symbol = bars.Groups["symbol"].Value.ToUpperInvariant();
                var isBid = bars.Groups["side"].Value.Equals("BID", StringComparison.OrdinalIgnoreCase);
                var twinName = DukascopyTwin(name, isBid);
                var twin = files.FirstOrDefault(f => Path.GetFileName(f) == twinName && Path.GetDirectoryName(f) == Path.GetDirectoryName(file))
                           ?? throw new FileNotFoundException($"{file}: its {(isBid ? "ASK" : "BID")} twin {twinName} is missing", twinName);
                used.Add(twin);
                if (wanted is not null && !wanted.Contains(symbol)) continue;
                feeds.Add(new DukascopyFeed(new DukascopyOptions
                {
                    Symbol = symbol,
                    BidPath = isBid ? file : twin,
                    AskPath = isBid ? twin : file,
                    Validation = validation,
                }));
                descriptions.Add($"{symbol}: Dukascopy M1 bid/ask {Path.GetFileName(isBid ? file : twin)} + {Path.GetFileName(isBid ? twin : file)}");
                found.Add(symbol);
            }
            else if (HistDataTicksName().Match(name) is { Success: true } ticks)
            {
                var symbol = ticks.Groups["symbol"].Value.ToUpperInvariant();
                if (wanted is not null && !wanted.Contains(symbol)) continue;
                feeds.Add(new TickFileFeed(new TickFileOptions
                {
                    Path = file,
                    Symbol = symbol,
                    TimeOffset = TickFileOptions.NewYorkStandardTimeToUtc,
                    Validation = validation,
                }));
                descriptions.Add($"{symbol}: HistData ticks {name} (New York standard time, +5 h)");
                found.Add(symbol);
            }
            else
            {
                feeds.Add(new TickFileFeed(new TickFileOptions { Path = file, Validation = validation }));
                descriptions.Add($"tick file {name} (symbol column, UTC)");
            }
        }

        if (feeds.Count == 0) throw new FileNotFoundException("No replayable data found (see `hueyp replay --help` for the recognized file names).");
        IReplayableFeed feed = feeds.Count == 1 ? feeds[0] : new MergedFeed("replay", [.. feeds]);
        return new ReplaySources(feed, descriptions, [.. found]);
    }

    private static string DukascopyTwin(string name, bool isBid)
    {
        var (from, to) = isBid ? ("_M1_BID_", "_M1_ASK_") : ("_M1_ASK_", "_M1_BID_");
        var index = name.IndexOf(from, StringComparison.OrdinalIgnoreCase);
        return name[..index] + to + name[(index + from.Length)..];
    }
}
