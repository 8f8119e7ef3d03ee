namespace HueyP.Bridge.Protocol;

/// <summary>
/// CRC-32/ISO-HDLC (the zip/Ethernet CRC: reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF).
/// Written here because System.IO.Hashing is not a pinned package; MQL4 EAs ship the same table-driven code.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>Eight lowercase hex digits, as carried in the v1.2 envelope.</summary>
    public static string ToHex(uint crc) => crc.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
}
