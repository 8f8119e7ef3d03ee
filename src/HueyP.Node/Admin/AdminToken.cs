using System.Security.Cryptography;
using System.Text;
using HueyP.Node.Files;

namespace HueyP.Node.Admin;

/// <summary>
/// The bearer token that guards the admin API: generated on a node's first start, stored in a file only its owner
/// can read, and read from there by the CLI on the same machine.
/// </summary>
public sealed class AdminToken
{
    private readonly byte[] _bytes;

    private AdminToken(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static AdminToken LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Load(path);
        }

        var value = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        AtomicFile.WriteAllText(path, value + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new AdminToken(value);
    }

    public static AdminToken Load(string path)
    {
        var value = File.ReadAllText(path).Trim();
        if (value.Length < 16)
        {
            throw new InvalidOperationException($"The admin token file {path} holds no usable token (too short). Delete it and restart the node to generate a new one.");
        }

        return new AdminToken(value);
    }

    /// <summary>Constant-time comparison, so a wrong token's timing says nothing about the right one.</summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(_bytes, Encoding.UTF8.GetBytes(presented));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
