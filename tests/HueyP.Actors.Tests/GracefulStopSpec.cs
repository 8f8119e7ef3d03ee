namespace HueyP.Actors.Tests;

public sealed class GracefulStopSpec : TestKit.TestKit
{
    private sealed class Parent : ReceiveActor
    {
        public Parent() => Context.ActorOf(Props.Create<EchoActor>(), "child");
    }

    [Fact]
    public async Task GracefulStop_completes_once_the_actor_and_its_children_have_terminated_and_frees_its_name()
    {
        var parent = Sys.ActorOf(Props.Create<Parent>(), "parent");
        Watch(parent);

        Assert.True(await Sys.GracefulStop(parent, TimeSpan.FromSeconds(10)));

        ExpectTerminated(parent);
        Assert.Empty(Sys.Diagnostics.Descendants("/user/parent"));
        Sys.ActorOf(Props.Create<Parent>(), "parent"); // the name is free for the next incarnation
    }
}
