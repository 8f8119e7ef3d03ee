using HueyP.Engine.Gates;
using HueyP.Engine.Orders;
using HueyP.Persistence;

namespace HueyP.Engine.Tests.Gates;

/// <summary>The constraint repository lives in the journal, seeded once from the file.</summary>
public sealed class ConstraintStoreTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-constraints").FullName;
    private PersistenceStore _store = null!;
    private static readonly DateTime Now = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);

    private string Seed => Path.Combine(_folder, "constraints.json");

    public async Task InitializeAsync()
    {
        File.Copy(TestData.Constraints, Seed);
        _store = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = Path.Combine(_folder, "j.db") },
            ConstraintStore.Register(OrderSideSerialization.Create()));
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<long> StoredVersions() => await _store.Journal.ReadHighestSequenceNrAsync(ConstraintStore.PersistenceId);

    [Fact]
    public async Task The_first_start_stores_the_seed_and_later_starts_read_it_from_the_journal()
    {
        var first = await ConstraintStore.LoadOrSeedAsync(_store, Seed, Now);
        var second = await ConstraintStore.LoadOrSeedAsync(_store, Seed, Now.AddDays(1));

        Assert.Equal(1, await StoredVersions());
        Assert.Contains("journal constraint-repository #1", second.Source);
        Assert.Equal(first.Constraints.Select(c => c.Id), second.Constraints.Select(c => c.Id));
    }

    [Fact]
    public async Task A_changed_seed_is_stored_as_a_new_version()
    {
        await ConstraintStore.LoadOrSeedAsync(_store, Seed, Now);
        await File.WriteAllTextAsync(Seed, (await File.ReadAllTextAsync(Seed)).Replace("\"severity\": \"warning\"", "\"severity\": \"critical\""));

        var changed = await ConstraintStore.LoadOrSeedAsync(_store, Seed, Now.AddDays(1));

        Assert.Equal(2, await StoredVersions());
        Assert.Contains("#2", changed.Source);
    }

    [Fact]
    public async Task A_seed_with_a_syntax_error_stops_the_start_and_stores_nothing()
    {
        var text = await File.ReadAllTextAsync(Seed);
        var at = text.IndexOf("\"condition\": \"", StringComparison.Ordinal) + "\"condition\": \"".Length;
        await File.WriteAllTextAsync(Seed, text.Insert(at, "(("));

        var failure = await Assert.ThrowsAsync<EngineStartException>(() => ConstraintStore.LoadOrSeedAsync(_store, Seed, Now));

        Assert.Contains("column", failure.Message);
        Assert.Equal(0, await StoredVersions());
    }
}
