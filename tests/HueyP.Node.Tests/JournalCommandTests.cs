using System.Text.Json.Serialization;
using HueyP.Node.Cli;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using Microsoft.Data.Sqlite;

namespace HueyP.Node.Tests;

public sealed partial class JournalCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-journal-cli").FullName;
    private string Db => Path.Combine(_folder, "journal.db");

    public async Task InitializeAsync()
    {
        var serializer = new EventSerializer().Register("Deposited.v1", TestEvents.Default.Deposited);
        await using var store = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = Db }, serializer);
        await store.InitializeAsync();
        foreach (var account in new[] { "account-1", "account-2" })
        {
            var events = Enumerable.Range(1, 5).Select(i => new PersistentRepr(new Deposited(i * 100m), account, i)).ToList();
            await store.Journal.WriteMessagesAsync([new AtomicWrite(events)]);
        }
    }

    [Fact]
    public async Task Verify_reports_an_intact_journal_and_exits_0()
    {
        var run = await CliHarness.RunAsync("journal", "verify", "--db", Db);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("intact", run.Output);
        Assert.Contains("10 events", run.Output);
    }

    [Fact]
    public async Task Verify_names_the_first_edited_row_and_exits_1()
    {
        await using (var connection = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE event_journal SET payload = CAST('{\"amount\":1000000}' AS BLOB) WHERE persistence_id = 'account-2' AND sequence_nr = 3";
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var run = await CliHarness.RunAsync("journal", "verify", "--db", Db, "--json");

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        var violation = run.Json.GetProperty("first_violation");
        Assert.Equal("account-2", violation.GetProperty("persistence_id").GetString());
        Assert.Equal(3, violation.GetProperty("sequence_nr").GetInt64());
    }

    [Fact]
    public async Task Stats_and_events_show_what_is_stored()
    {
        var stats = await CliHarness.RunAsync("journal", "stats", "--db", Db, "--json");
        var events = await CliHarness.RunAsync("journal", "events", "--db", Db, "--pid", "account-1", "--from", "4", "--json");

        Assert.Equal(ExitCodes.Ok, stats.ExitCode);
        Assert.Equal(10, stats.Json.GetProperty("events").GetInt64());
        Assert.Equal(2, stats.Json.GetProperty("persistence_ids").GetInt64());
        Assert.Equal(ExitCodes.Ok, events.ExitCode);
        Assert.Equal([4L, 5L], events.Json.EnumerateArray().Select(e => e.GetProperty("sequence_nr").GetInt64()));
    }

    [Fact]
    public async Task A_missing_journal_file_is_a_clear_error()
    {
        var run = await CliHarness.RunAsync("journal", "stats", "--db", Path.Combine(_folder, "nope.db"));

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("nope.db", run.Error);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    public sealed record Deposited(decimal Amount);

    [JsonSerializable(typeof(Deposited))]
    private sealed partial class TestEvents : JsonSerializerContext;
}
