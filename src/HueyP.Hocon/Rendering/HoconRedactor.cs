using System.Text.RegularExpressions;

namespace HueyP.Hocon;

/// <summary>Decides which values are secrets, so <c>hueyp config show</c> can be pasted into a ticket.</summary>
public static partial class HoconRedactor
{
    public const string Placeholder = "<redacted>";

    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "passwd", "pwd", "passphrase", "token", "secret", "key", "apikey", "credentials",
    };

    [GeneratedRegex(@"(?<name>password|pwd)(?<eq>\s*=\s*)(?<value>[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    /// <summary>
    /// True when the key's last word names a secret: <c>password</c>, <c>db-password</c>, <c>hmac-key</c>, <c>api_token</c>,
    /// <c>clientSecret</c>; but not <c>keep-alive</c> or <c>monkey</c>.
    /// </summary>
    public static bool IsSecretKey(string key)
    {
        if (SecretWords.Contains(key))
        {
            return true;
        }
        var words = CamelBoundary().Replace(key, "$1-$2").Split('-', '_', '.', ' ');
        return SecretWords.Contains(words[^1]);
    }

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelBoundary();

    /// <summary>Hides <c>Password=...;</c> inside connection strings and leaves the rest readable.</summary>
    public static string RedactInlineSecrets(string text) =>
        ConnectionStringPassword().Replace(text, match => match.Groups["name"].Value + match.Groups["eq"].Value + Placeholder);
}
