namespace HueyP.Actors.Tests;

public sealed class AskSpec : TestKit.TestKit
{
    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Assert.Equal("hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_past_its_timeout_fails_with_AskTimeoutException_naming_the_target()
    {
        var silent = Sys.ActorOf(Props.Create<Silent>(), "silent");
        var reply = silent.Ask<string>("anyone?", TimeSpan.FromSeconds(5));
        Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => reply);
        Assert.Contains(silent.Path.ToString(), error.Message);
    }

    [Fact]
    public async Task Status_Failure_reply_faults_the_ask()
    {
        var failing = Sys.ActorOf(Props.Create<FailureReplier>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Ask<string>("x", TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task AskAll_gathers_one_reply_to_each_message()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo-all");
        var replies = await echo.AskAll<int>([1, 2, 3, 4], TimeSpan.FromSeconds(3));
        Assert.Equal([1, 2, 3, 4], replies.Order());
        Assert.Empty(await echo.AskAll<int>([], TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task AskAll_fails_on_a_failure_reply_and_on_a_missing_reply_naming_the_target()
    {
        var failing = Sys.ActorOf(Props.Create<FailureReplier>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.AskAll<string>(["x", "y"], TimeSpan.FromSeconds(3)));

        // Two of three answered: still waiting, then the timeout.
        var halfDeaf = Sys.ActorOf(Props.Create<AnswersOnlyNumbers>(), "half-deaf");
        var replies = halfDeaf.AskAll<int>([1, "no answer", 2], TimeSpan.FromSeconds(5));
        Advance(TimeSpan.FromSeconds(4));
        Assert.False(replies.IsCompleted);
        Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => replies);
        Assert.Contains(halfDeaf.Path.ToString(), error.Message);
    }

    [Fact]
    public async Task Ask_through_an_ActorSelection()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "selected");
        Assert.Equal(7, await Sys.ActorSelection("/user/selected").Ask<int>(7, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void PipeTo_sends_result_or_failure()
    {
        Task.FromResult(5).PipeTo(TestActor);
        ExpectMsg(5);
        Task.FromException<int>(new Crasher("bad")).PipeTo(TestActor);
        Assert.IsType<Crasher>(ExpectMsg<Status.Failure>().Cause);
    }

    [Fact]
    public void A_completed_Ask_releases_its_CancellationToken_registration()
    {
        using var cancellation = new CancellationTokenSource(); // outlives the ask, as a request-scoped token would
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var reply = AskAndForget(echo, cancellation.Token);
        // the reply is only reachable through the completed promise, which only the registration could keep alive
        AwaitCondition(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return !reply.IsAlive;
        });
        GC.KeepAlive(cancellation);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference AskAndForget(IActorRef echo, CancellationToken token)
    {
        var payload = new object[] { "payload" };
        var answer = echo.Ask<object[]>(payload, Timeout.InfiniteTimeSpan, token).GetAwaiter().GetResult();
        Assert.Same(payload, answer);
        return new WeakReference(payload);
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class AnswersOnlyNumbers : ReceiveActor
    {
        public AnswersOnlyNumbers() => Receive<int>(n => Sender.Tell(n));
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("no"))));
    }
}
