using System.Globalization;

namespace HueyP.Domain.Orders;

/// <summary>
/// The one place where a market price (double, as feeds and indicators produce it) becomes money (decimal).
/// Rounding rule: the explicit double→decimal cast keeps 15 significant digits, which strips binary noise
/// such as 1.0834999999999999 back to 1.0835; the result is then rounded half-to-even to
/// <see cref="DecimalPlaces"/> places, far finer than any FX or CFD tick, so no real price is altered.
/// </summary>
public static class PriceConversion
{
    public const int DecimalPlaces = 8;

    public static bool TryToDecimal(double price, string what, out decimal value, out string? error)
    {
        value = 0m;
        if (double.IsNaN(price) || double.IsInfinity(price))
        {
            error = $"{what} must be a finite number, got {price.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }
        if (price <= 0)
        {
            error = $"{what} must be positive, got {price.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }
        if (price > 7.9e20)
        {
            error = $"{what} is too large to be a price: {price.ToString(CultureInfo.InvariantCulture)}";
            return false;
        }
        value = Math.Round((decimal)price, DecimalPlaces, MidpointRounding.ToEven);
        error = null;
        return true;
    }

    public static decimal ToDecimal(double price, string what) =>
        TryToDecimal(price, what, out var value, out var error) ? value : throw new ArgumentException(error, what);
}
