using System.CommandLine;
using HueyP.Persistence;

namespace HueyP.Node.Cli;

/// <summary>How the offline palettes (journal, report, state, orders, ledger) find and open a SQLite journal file.</summary>
internal static class JournalFiles
{
    public const string DefaultPath = "run/hueyp.db";

    public static Option<string> DbOption() =>
        new("--db") { Description = "SQLite journal file", DefaultValueFactory = _ => DefaultPath };

    /// <summary>Opens the file with every engine event type registered; a missing file is a clear error, never a new empty journal.</summary>
    public static PersistenceStore OpenSqlite(string path)
    {
        if (!File.Exists(path)) throw new CommandFailedException($"no journal at {path} (give --db FILE, e.g. the one `hueyp replay` printed)");
        return JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = path }, HueyP.Node.Hosting.NodeEvents.Serializer());
    }
}
