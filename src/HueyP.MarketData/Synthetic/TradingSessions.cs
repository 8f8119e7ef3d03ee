namespace HueyP.MarketData.Synthetic;

/// <summary>
/// The FX week in UTC (daylight saving ignored): open Sunday 21:00 to Friday 21:00. Asia is quiet and a little wider,
/// London and the London/New York overlap are busiest and tightest, the rollover hour is thin and wide.
/// </summary>
public static class TradingSessions
{
    public static TradingSession At(DateTime utc) => utc.Hour switch
    {
        >= 7 and < 12 => TradingSession.London,
        >= 12 and < 16 => TradingSession.LondonNewYorkOverlap,
        >= 16 and < 21 => TradingSession.NewYork,
        21 => TradingSession.Rollover,
        _ => TradingSession.Asia,
    };

    /// <summary>Quote rate relative to the London session.</summary>
    public static double ActivityOf(TradingSession session) => session switch
    {
        TradingSession.London => 1.0,
        TradingSession.LondonNewYorkOverlap => 1.5,
        TradingSession.NewYork => 0.7,
        TradingSession.Rollover => 0.15,
        _ => 0.4,
    };

    /// <summary>Spread relative to the London session.</summary>
    public static double SpreadMultiplierOf(TradingSession session) => session switch
    {
        TradingSession.London => 1.0,
        TradingSession.LondonNewYorkOverlap => 0.9,
        TradingSession.NewYork => 1.1,
        TradingSession.Rollover => 3.0,
        _ => 1.4,
    };

    public static bool IsMarketOpen(DateTime utc) => utc.DayOfWeek switch
    {
        DayOfWeek.Saturday => false,
        DayOfWeek.Friday => utc.Hour < 21,
        DayOfWeek.Sunday => utc.Hour >= 21,
        _ => true,
    };

    /// <summary>The next Sunday 21:00 UTC at or after <paramref name="utc"/>.</summary>
    public static DateTime NextWeeklyOpen(DateTime utc)
    {
        var daysToSunday = ((int)DayOfWeek.Sunday - (int)utc.DayOfWeek + 7) % 7;
        var open = utc.Date.AddDays(daysToSunday).AddHours(21);
        return open >= utc ? open : open.AddDays(7);
    }
}
