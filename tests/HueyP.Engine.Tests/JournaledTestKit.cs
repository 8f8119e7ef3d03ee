using HueyP.Persistence;
using HueyP.Persistence.Serialization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests;

/// <summary>
/// A TestKit whose actor system journals to its own SQLite file in a fresh temporary folder, removed afterwards.
/// </summary>
public abstract class JournaledTestKit : Actors.TestKit.TestKit, IAsyncLifetime
{
    private readonly string _directory;

    /// <param name="name">Names the temporary folder and the database file, so a leftover one says which test it was.</param>
    /// <param name="configure">Adjusts the journal settings (a short busy timeout, say).</param>
    /// <param name="serializer">The event types the test journals; the engine's by default.</param>
    protected JournaledTestKit(ITestOutputHelper output, string name, Func<JournalSettings, JournalSettings>? configure = null, EventSerializer? serializer = null)
        : base(output: output)
    {
        _directory = Directory.CreateTempSubdirectory($"hueyp-{name}-").FullName;
        DatabasePath = Path.Combine(_directory, $"{name}.db");
        var settings = new JournalSettings { Provider = JournalProvider.Sqlite, Path = DatabasePath, WriterId = "test" };
        Store = JournalFactory.Create(configure?.Invoke(settings) ?? settings, serializer ?? EngineEvents.Serializer());
        PersistenceExtension.Install(Sys, Store);
    }

    protected PersistenceStore Store { get; }

    protected string DatabasePath { get; }

    public Task InitializeAsync() => Store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
