namespace HueyP.Hocon;

/// <summary>
/// One problem with a setting, phrased so the user can fix it without guessing:
/// <c>hueyp.admin.port = 70000 (hocon/paper.conf:12): must be in 1..65535</c>.
/// </summary>
public sealed record ConfigValidationError(string Key, string? File, int Line, string Message, string? Value = null)
{
    public static ConfigValidationError For(string key, HoconOrigin? origin, string message, string? value = null) =>
        new(key, origin?.File, origin?.Line ?? 0, message, value);

    public override string ToString()
    {
        var subject = Value is null ? Key : $"{Key} = {Value}";
        var where = File is null ? "" : Line > 0 ? $" ({File}:{Line})" : $" ({File})";
        return $"{subject}{where}: {Message}";
    }
}
