namespace HueyP.Domain.Indicators;

/// <summary>
/// Fixed-size window over the last <c>Capacity</c> values with a running sum and sum of squared deviations
/// (Welford's sliding update), so mean and population variance are O(1) per update with no allocation.
/// Every time the ring wraps the aggregates are recomputed exactly from the window: amortised O(1),
/// and it stops floating-point drift from accumulating over months of ticks.
/// </summary>
internal sealed class RollingWindow
{
    private readonly double[] _values;
    private int _next;
    private int _count;
    private double _mean;
    private double _sumSquaredDeviations;

    public RollingWindow(int capacity)
    {
        _values = new double[capacity];
    }

    public int Capacity => _values.Length;
    public bool IsFull => _count == _values.Length;
    public double Mean => _mean;
    public double PopulationVariance => _count == 0 ? double.NaN : Math.Max(0.0, _sumSquaredDeviations / _count);

    public void Add(double value)
    {
        if (_count < _values.Length)
        {
            _values[_next] = value;
            _count++;
            var delta = value - _mean;
            _mean += delta / _count;
            _sumSquaredDeviations += delta * (value - _mean);
        }
        else
        {
            var removed = _values[_next];
            _values[_next] = value;
            var oldMean = _mean;
            _mean = oldMean + (value - removed) / _count;
            _sumSquaredDeviations += (value - removed) * (value - _mean + removed - oldMean);
        }

        _next++;
        if (_next == _values.Length)
        {
            _next = 0;
            if (IsFull) Resynchronise();
        }
    }

    public void Reset()
    {
        Array.Clear(_values);
        _next = 0;
        _count = 0;
        _mean = 0;
        _sumSquaredDeviations = 0;
    }

    private void Resynchronise()
    {
        var sum = 0.0;
        foreach (var v in _values) sum += v;
        var mean = sum / _values.Length;
        var squares = 0.0;
        foreach (var v in _values)
        {
            var d = v - mean;
            squares += d * d;
        }
        _mean = mean;
        _sumSquaredDeviations = squares;
    }
}
