using HueyP.Actors.TestKit;

namespace HueyP.Actors.Tests;

public sealed class TestKitSpec : TestKit.TestKit
{
    [Fact]
    public void Virtual_time_fires_timers_in_due_order_only_when_advanced()
    {
        var clock = new TestScheduler();
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(new[] { "early", "tick", "late", "tick" }, fired);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);
    }

    [Fact]
    public void ExpectMsg_fails_with_a_clear_message_on_timeout()
    {
        var error = Assert.ThrowsAny<Exception>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(10)));
        Assert.Contains("Timeout", error.Message);
    }

    [Fact]
    public void Probes_receive_reply_and_see_the_sender()
    {
        var probe = CreateTestProbe();
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        probe.Send(echo, "hi");
        probe.ExpectMsg("hi");
        Assert.Equal(echo, probe.LastSender);
        probe.Reply("back");
        probe.ExpectMsg("back");
    }

    [Fact]
    public void ReceiveN_and_FishForMessage_consume_in_order()
    {
        for (var i = 0; i < 5; i++) TestActor.Tell(i);
        Assert.Equal(new object[] { 0, 1 }, ReceiveN(2));
        Assert.Equal(3, FishForMessage<int>(i => i == 3));
        ExpectMsg(4);
    }

    [Fact]
    public void EventFilter_fails_when_the_expected_events_do_not_happen()
    {
        Assert.ThrowsAny<Exception>(() => EventFilter.Error().ExpectOne(() => { }, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void Within_bounds_nested_expectations()
    {
        Assert.ThrowsAny<Exception>(() => Within(TimeSpan.FromMilliseconds(30), () => ExpectMsg<string>(TimeSpan.FromSeconds(3))));
    }
}
