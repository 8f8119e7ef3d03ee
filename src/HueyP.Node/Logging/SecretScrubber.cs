using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace HueyP.Node.Logging;

/// <summary>
/// Keeps secrets out of every log sink: known secret values (the admin token, HMAC keys, database passwords) and
/// anything shaped like one (Password=...; in a connection string, a bearer token) are replaced before a sink sees them.
/// </summary>
public sealed partial class SecretScrubber : ILogEventEnricher
{
    public const string Redacted = HueyP.Hocon.HoconRedactor.Placeholder;
    private readonly List<string> _knownSecrets = [];
    private readonly Lock _gate = new();

    public void AddSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4)
        {
            return;
        }

        lock (_gate)
        {
            _knownSecrets.Add(secret);
        }
    }

    public string Scrub(string text)
    {
        var scrubbed = HueyP.Hocon.HoconRedactor.RedactInlineSecrets(text);
        scrubbed = BearerToken().Replace(scrubbed, $"Bearer {Redacted}");
        lock (_gate)
        {
            foreach (var secret in _knownSecrets)
            {
                scrubbed = scrubbed.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return scrubbed;
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToArray())
        {
            if (value is ScalarValue { Value: string text } && Scrub(text) is var clean && !ReferenceEquals(clean, text) && clean != text)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(clean)));
            }
        }
    }

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-_\.=]+")]
    private static partial Regex BearerToken();
}
