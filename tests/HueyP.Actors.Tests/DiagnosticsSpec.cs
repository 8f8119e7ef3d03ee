namespace HueyP.Actors.Tests;

public sealed class DiagnosticsSpec : TestKit.TestKit
{
    [Fact]
    public void Snapshot_shows_the_tree_with_types_depths_and_restart_counts()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)), "engine");
        var child = this.ChildOf(supervisor, Props.Create<EchoActor>(), "symbols");
        this.ChildOf(supervisor, Props.Create<EchoActor>(), "orders");
        Sys.Diagnostics.Crash(child, new Crasher("injected"));
        AwaitCondition(() => Sys.Diagnostics.Snapshot("/user/engine/symbols")!.RestartCount == 1);
        var tree = Sys.Diagnostics.Snapshot("/user/engine")!;
        Assert.Equal("akka://" + Sys.Name + "/user/engine", tree.Path);
        Assert.Equal(nameof(Supervisor), tree.ActorType);
        Assert.Equal(new[] { "orders", "symbols" }, tree.Children.Select(c => c.Path.Split('/').Last()));
        Assert.Equal(nameof(EchoActor), tree.Children[1].ActorType);
        Assert.Empty(Sys.Diagnostics.Snapshot("/user", depth: 1)!.Children.Single().Children);
        Assert.Null(Sys.Diagnostics.Snapshot("/user/missing"));
    }

    [Fact]
    public void Crash_is_handled_by_the_supervisor_exactly_like_a_thrown_exception()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(e => e is TimeoutException ? Directive.Stop : Directive.Restart))));
        var child = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "")), "c");
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        EventFilter.Exception<Crasher>().ExpectOne(() => Assert.True(Sys.Diagnostics.Crash(child.Path.ToStringWithoutAddress(), new Crasher("by path"))));
        FishForMessage(m => m is "postRestart:by path");
        Watch(child);
        Chaos.Crash(child, new TimeoutException("stop it"));
        FishForMessage(m => m is Terminated);
    }

    [Fact]
    public void Mailbox_depth_is_reported()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new Blocker()), "blocked");
        actor.Tell(gate);
        for (var i = 0; i < 5; i++) actor.Tell(i);
        AwaitCondition(() => Sys.Diagnostics.Snapshot("/user/blocked")!.MailboxDepth == 5);
        gate.Set();
        AwaitCondition(() => Sys.Diagnostics.Snapshot("/user/blocked")!.MailboxDepth == 0);
    }

    [Fact]
    public void Seeded_chaos_run_is_replayable_and_the_tree_survives()
    {
        string[] Run()
        {
            var root = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart, loggingEnabled: false))));
            for (var i = 0; i < 5; i++) this.ChildOf(root, Props.Create<EchoActor>(), $"w{i}");
            var report = Chaos.Run(root.Path.ToStringWithoutAddress(), crashesPerSecond: 10, TimeSpan.FromSeconds(2), seed: 42);
            Assert.Equal(20, report.CrashedPaths.Count);
            for (var i = 0; i < 5; i++)
            {
                Sys.ActorSelection($"{root.Path.ToStringWithoutAddress()}/w{i}").Tell("alive", TestActor);
                ExpectMsg("alive");
            }
            return report.CrashedPaths.Select(p => p.Split('/').Last()).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    private sealed class Blocker : ReceiveActor
    {
        public Blocker()
        {
            Receive<ManualResetEventSlim>(gate => gate.Wait());
            ReceiveAny(_ => { });
        }
    }
}
