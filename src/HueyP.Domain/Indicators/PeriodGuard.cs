namespace HueyP.Domain.Indicators;

internal static class PeriodGuard
{
    public static int Positive(int period, string indicator, string parameter = "period")
    {
        if (period < 1)
            throw new ArgumentOutOfRangeException(parameter, period, $"{indicator}: {parameter} must be at least 1.");
        return period;
    }

    public static void Finite(double value, string indicator, string parameter = "value")
    {
        // A NaN or infinity would silently poison every later value of a running sum, so it is refused at the door.
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(parameter, value, $"{indicator}: {parameter} must be a finite number.");
    }
}
