using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Tests;

public class DataQualityBreakerTests
{
    private static readonly BreakerOptions Options = new() { RejectsToTrip = 3, WindowRows = 5, CleanRowsToClose = 4 };

    [Fact]
    public void Trips_when_enough_rejects_fall_inside_the_window()
    {
        var breaker = new DataQualityBreaker(Options);

        Assert.Equal(BreakerTransition.None, breaker.RecordReject());
        breaker.RecordClean();
        Assert.Equal(BreakerTransition.None, breaker.RecordReject());
        Assert.Equal(BreakerTransition.Tripped, breaker.RecordReject());
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void Rejects_spread_wider_than_the_window_do_not_trip()
    {
        var breaker = new DataQualityBreaker(Options);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(BreakerTransition.None, breaker.RecordReject());
            breaker.RecordClean();
            breaker.RecordClean();
        }

        Assert.False(breaker.IsOpen);
    }

    [Fact]
    public void Recloses_only_after_an_unbroken_clean_stretch()
    {
        var breaker = new DataQualityBreaker(Options);
        for (var i = 0; i < 3; i++)
            breaker.RecordReject();

        for (var i = 0; i < 3; i++)
            Assert.Equal(BreakerTransition.None, breaker.RecordClean());
        breaker.RecordReject();
        for (var i = 0; i < 3; i++)
            Assert.Equal(BreakerTransition.None, breaker.RecordClean());
        Assert.Equal(BreakerTransition.Closed, breaker.RecordClean());
        Assert.False(breaker.IsOpen);
    }
}
