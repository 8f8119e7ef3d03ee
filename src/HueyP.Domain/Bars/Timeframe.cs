namespace HueyP.Domain.Bars;

public enum Timeframe { M1, M5, M15, M30, H1, H4, D1 }

public static class TimeframeExtensions
{
    public static TimeSpan Duration(this Timeframe timeframe) => timeframe switch
    {
        Timeframe.M1 => TimeSpan.FromMinutes(1),
        Timeframe.M5 => TimeSpan.FromMinutes(5),
        Timeframe.M15 => TimeSpan.FromMinutes(15),
        Timeframe.M30 => TimeSpan.FromMinutes(30),
        Timeframe.H1 => TimeSpan.FromHours(1),
        Timeframe.H4 => TimeSpan.FromHours(4),
        Timeframe.D1 => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(timeframe), timeframe, "Unknown timeframe."),
    };

    /// <summary>
    /// The opening time of the bar containing <paramref name="timeUtc"/>: floor(time, timeframe) counted from
    /// midnight UTC, so H4 bars open at 00, 04, 08, ... and D1 bars at 00:00 UTC.
    /// </summary>
    public static DateTime BarOpen(this Timeframe timeframe, DateTime timeUtc)
    {
        if (timeUtc.Kind == DateTimeKind.Local)
            throw new ArgumentException($"Bar time must be UTC, got local time {timeUtc:O}.", nameof(timeUtc));
        var ticks = timeframe.Duration().Ticks;
        return new DateTime(timeUtc.Ticks - timeUtc.Ticks % ticks, DateTimeKind.Utc);
    }

    public static bool TryParse(string text, out Timeframe timeframe) =>
        Enum.TryParse(text, ignoreCase: true, out timeframe) && Enum.IsDefined(timeframe);
}
