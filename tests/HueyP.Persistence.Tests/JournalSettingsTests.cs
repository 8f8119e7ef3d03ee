using HueyP.Persistence.Journal;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests;

/// <summary>Configuration mistakes fail early and name the setting; an unreachable database faults the operation.</summary>
public sealed class JournalSettingsTests
{
    private static JournalConfigurationException CreateFails(JournalSettings settings) =>
        Assert.Throws<JournalConfigurationException>(() => JournalFactory.Create(settings, TestEvents.Serializer()));

    [Fact]
    public void An_unknown_provider_name_is_refused()
    {
        var error = Assert.Throws<JournalConfigurationException>(() => JournalSettings.ParseProvider("oracle"));
        Assert.Equal("Provider", error.Setting);
        Assert.Contains("oracle", error.Message);
        Assert.Equal(JournalProvider.PostgreSql, JournalSettings.ParseProvider("PostgreSQL"));
        Assert.Equal(JournalProvider.Sqlite, JournalSettings.ParseProvider("sqlite"));
    }

    [Fact]
    public void Sqlite_without_a_path_names_the_path_setting() =>
        Assert.Equal("Path", CreateFails(new JournalSettings { Provider = JournalProvider.Sqlite }).Setting);

    [Fact]
    public void Sqlite_in_a_missing_directory_names_the_path_setting()
    {
        var error = CreateFails(new JournalSettings { Provider = JournalProvider.Sqlite, Path = "/nonexistent-hueyp-dir/journal.db" });
        Assert.Equal("Path", error.Setting);
        Assert.Contains("/nonexistent-hueyp-dir", error.Message);
    }

    [Fact]
    public void A_malformed_postgresql_connection_string_names_the_setting()
    {
        Assert.Equal("ConnectionString", CreateFails(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = "Hots=x;;=;Port=abc" }).Setting);
        Assert.Equal("ConnectionString", CreateFails(new JournalSettings { Provider = JournalProvider.PostgreSql }).Setting);
        Assert.Equal("Schema", CreateFails(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = "Host=x", Schema = "Bad-Name" }).Setting);
    }

    [Fact]
    public void Nonsense_limits_are_refused() =>
        Assert.Equal("MaxEventBytes", CreateFails(new JournalSettings { Path = "x.db", MaxEventBytes = 0 }).Setting);

    [Fact]
    public async Task An_unreachable_database_faults_the_write_and_a_later_attempt_tries_again()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        await using var store = JournalFactory.Create(
            new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=5" },
            TestEvents.Serializer());
        var write = () => store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new Note("x"), "p", 1))]);
        var first = await Assert.ThrowsAnyAsync<Exception>(write);
        Assert.IsNotType<JournalConfigurationException>(first);
        Assert.Contains("127.0.0.1", first.ToString());
        await Assert.ThrowsAnyAsync<Exception>(write);
    }
}
