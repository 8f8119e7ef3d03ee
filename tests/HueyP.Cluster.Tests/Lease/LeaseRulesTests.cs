using HueyP.Cluster.Lease;

namespace HueyP.Cluster.Tests.Lease;

public sealed class LeaseRulesTests
{
    private const long Ttl = 2_000;

    private static LeaseState Active(long epoch = 7, long validUntil = 10_000) => new(LeaseRole.Active, epoch, validUntil, 0, false);

    [Fact]
    public void A_standby_tries_to_acquire_once_at_a_time_and_not_while_holding_back()
    {
        var (trying, command) = LeaseRules.Tick(LeaseState.Initial, now: 100);
        Assert.Equal(LeaseCommand.TryAcquire, command);
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(trying, 200).Item2);

        var holding = LeaseState.Initial with { HoldUntil = 5_000 };
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(holding, 4_999).Item2);
        Assert.Equal(LeaseCommand.TryAcquire, LeaseRules.Tick(holding, 5_000).Item2);
    }

    [Fact]
    public void Validity_counts_from_when_the_request_was_sent_not_when_the_answer_came()
    {
        var (active, command) = LeaseRules.Acquired(LeaseState.Initial with { InFlight = true }, epoch: 4, sentAt: 1_000, Ttl);
        Assert.Equal(LeaseCommand.AnnounceActive, command);
        Assert.Equal((LeaseRole.Active, 4L, 3_000L), (active.Role, active.Epoch, active.ValidUntil));

        var renewed = LeaseRules.Renewed(active with { InFlight = true }, epoch: 4, sentAt: 1_500, Ttl);
        Assert.Equal(3_500, renewed.ValidUntil);
        Assert.False(renewed.InFlight);
    }

    [Fact]
    public void The_active_gives_up_by_itself_when_no_renewal_succeeded_within_the_ttl()
    {
        var active = Active(validUntil: 3_000) with { InFlight = true };
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(active, 2_999).Item2);

        var (stopping, command) = LeaseRules.Tick(active, 3_000);

        Assert.Equal(LeaseCommand.AnnounceLost, command);
        Assert.Equal(LeaseRole.Stopping, stopping.Role);
        // A renewal that answers late changes nothing: the term is over.
        Assert.Equal(stopping, LeaseRules.Renewed(stopping, 7, 2_900, Ttl));
    }

    [Fact]
    public void A_refused_renewal_of_an_older_epoch_is_ignored_but_of_the_current_one_ends_the_term()
    {
        Assert.Equal(LeaseCommand.None, LeaseRules.Lost(Active(epoch: 7), epoch: 6).Item2);
        var (stopping, command) = LeaseRules.Lost(Active(epoch: 7), epoch: 7);
        Assert.Equal((LeaseRole.Stopping, LeaseCommand.AnnounceLost), (stopping.Role, command));
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(stopping, 20_000).Item2);
    }

    [Fact]
    public void A_lost_node_competes_again_only_after_its_engine_stopped()
    {
        var stopping = LeaseRules.Lost(Active(epoch: 7), 7).Item1;
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(stopping, 50_000).Item2);

        var (standby, command) = LeaseRules.EngineStopped(stopping, 7, now: 50_000, stepDownHold: 5_000);

        Assert.Equal((LeaseRole.Standby, LeaseCommand.None), (standby.Role, command));
        Assert.Equal(LeaseCommand.TryAcquire, LeaseRules.Tick(standby, 50_000).Item2);
    }

    [Fact]
    public void Step_down_keeps_renewing_while_the_engine_drains_then_releases_and_holds_back()
    {
        var (releasing, announce) = LeaseRules.StepDown(Active(epoch: 7, validUntil: 10_000));
        Assert.Equal((LeaseRole.Releasing, LeaseCommand.AnnounceReleasing), (releasing.Role, announce));
        Assert.Equal(LeaseCommand.Renew, LeaseRules.Tick(releasing, 9_000).Item2);

        var (standby, release) = LeaseRules.EngineStopped(releasing, 7, now: 9_500, stepDownHold: 5_000);

        Assert.Equal((LeaseRole.Standby, LeaseCommand.Release), (standby.Role, release));
        Assert.Equal(LeaseCommand.None, LeaseRules.Tick(standby, 14_499).Item2);
        Assert.Equal(LeaseCommand.TryAcquire, LeaseRules.Tick(standby, 14_500).Item2);
        Assert.Equal(LeaseCommand.None, LeaseRules.StepDown(standby).Item2);
    }
}
