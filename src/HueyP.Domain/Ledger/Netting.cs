namespace HueyP.Domain.Ledger;

/// <summary>
/// Netting arithmetic shared by our ledger and the paper broker's account so both sides compute positions alike:
/// adding averages the entry price, reducing realizes P&amp;L on the closed part, closing resets the average,
/// flipping opens the remainder at the fill price.
/// </summary>
public static class Netting
{
    public readonly record struct Result(decimal Quantity, decimal AveragePrice, decimal RealizedPnl);

    public static Result Apply(decimal quantity, decimal averagePrice, decimal signedFillQuantity, decimal price)
    {
        var newQuantity = quantity + signedFillQuantity;
        if (quantity == 0m || Math.Sign(quantity) == Math.Sign(signedFillQuantity))
        {
            var average = (averagePrice * Math.Abs(quantity) + price * Math.Abs(signedFillQuantity)) / Math.Abs(newQuantity);
            return new Result(newQuantity, average, 0m);
        }
        var closing = Math.Min(Math.Abs(signedFillQuantity), Math.Abs(quantity));
        var realized = (price - averagePrice) * closing * Math.Sign(quantity);
        var newAverage = newQuantity == 0m ? 0m : Math.Sign(newQuantity) != Math.Sign(quantity) ? price : averagePrice;
        return new Result(newQuantity, newAverage, realized);
    }
}
