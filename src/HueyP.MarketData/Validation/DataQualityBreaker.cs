namespace HueyP.MarketData.Validation;

public enum BreakerTransition
{
    None,
    Tripped,
    Closed,
}

/// <summary>
/// Per-symbol data-quality circuit breaker, pure logic over a row counter: it opens when
/// <see cref="BreakerOptions.RejectsToTrip"/> rejects fall within <see cref="BreakerOptions.WindowRows"/> rows and closes
/// again after <see cref="BreakerOptions.CleanRowsToClose"/> clean rows in a row.
/// </summary>
public sealed class DataQualityBreaker
{
    private readonly BreakerOptions _options;
    private readonly long[] _recentRejectRows;
    private int _recentRejectCount;
    private int _oldestReject;
    private long _row;
    private long _cleanStreak;

    public DataQualityBreaker(BreakerOptions options)
    {
        options.Validate();
        _options = options;
        _recentRejectRows = new long[options.RejectsToTrip];
    }

    public bool IsOpen { get; private set; }

    public BreakerTransition RecordReject()
    {
        _row++;
        _cleanStreak = 0;
        RememberReject(_row);
        if (IsOpen || _recentRejectCount < _recentRejectRows.Length)
            return BreakerTransition.None;

        var oldestInWindow = _recentRejectRows[_oldestReject];
        if (_row - oldestInWindow >= _options.WindowRows)
            return BreakerTransition.None;

        IsOpen = true;
        return BreakerTransition.Tripped;
    }

    public BreakerTransition RecordClean()
    {
        _row++;
        _cleanStreak++;
        if (!IsOpen || _cleanStreak < _options.CleanRowsToClose)
            return BreakerTransition.None;

        IsOpen = false;
        _recentRejectCount = 0;
        _oldestReject = 0;
        return BreakerTransition.Closed;
    }

    private void RememberReject(long row)
    {
        if (_recentRejectCount < _recentRejectRows.Length)
        {
            _recentRejectRows[(_oldestReject + _recentRejectCount) % _recentRejectRows.Length] = row;
            _recentRejectCount++;
            return;
        }

        _recentRejectRows[_oldestReject] = row;
        _oldestReject = (_oldestReject + 1) % _recentRejectRows.Length;
    }
}
