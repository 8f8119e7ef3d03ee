namespace HueyP.Hocon;

/// <summary>
/// HOCON's boolean spellings (true/false, yes/no, on/off). The configuration provider keeps values as written,
/// so a typed binder needs this to read <c>allow-remote = off</c>.
/// </summary>
public static class HoconBoolean
{
    public static bool TryParse(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "yes" or "on":
                value = true;
                return true;
            case "false" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
