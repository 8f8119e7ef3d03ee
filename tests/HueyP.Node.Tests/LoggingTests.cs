using HueyP.Node.Logging;
using Serilog.Events;

namespace HueyP.Node.Tests;

public sealed class LoggingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-log-test").FullName;

    [Fact]
    public void Secrets_never_reach_the_log_file_or_the_console()
    {
        var scrubber = new SecretScrubber();
        scrubber.AddSecret("tok-3f9a8b7c6d5e4f3a2b1c");
        var console = new StringWriter();
        var settings = new LoggingSettings(LogEventLevel.Information, null, Path.Combine(_folder, "hueyp-.json"));
        using (var logger = NodeLogging.Create(settings, scrubber, console))
        {
            logger.Information("Connecting to {ConnectionString}", "Host=db;Username=hueyp;Password=hunter2secret;Database=j");
            logger.Information("Admin call with {Header}", "Bearer abc.def-ghi_jkl");
            logger.Warning("Token {Token} rejected", "tok-3f9a8b7c6d5e4f3a2b1c");
        }

        var file = File.ReadAllText(Directory.GetFiles(_folder, "hueyp-*.json").Single());
        foreach (var text in new[] { file, console.ToString() })
        {
            Assert.DoesNotContain("hunter2secret", text);
            Assert.DoesNotContain("abc.def-ghi_jkl", text);
            Assert.DoesNotContain("tok-3f9a8b7c6d5e4f3a2b1c", text);
            Assert.Contains("Password=<redacted>", text);
            Assert.Contains("Username=hueyp", text);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
