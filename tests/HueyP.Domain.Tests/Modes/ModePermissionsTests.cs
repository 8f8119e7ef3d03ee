using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Domain.Tests.Modes;

public class ModePermissionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(Mode.Normal, true, true, false)]
    [InlineData(Mode.DegradedComm, true, true, false)]
    [InlineData(Mode.DegradedSignal, true, true, false)]
    [InlineData(Mode.DegradedExec, false, true, false)]
    [InlineData(Mode.SafeMode, false, true, false)]
    public void What_each_mode_permits(Mode mode, bool entries, bool exits, bool flatten)
    {
        var p = ModePermissions.For(mode);
        Assert.Equal((entries, exits, flatten), (p.AllowsNewEntries, p.AllowsExitManagement, p.FlattenPositions));
    }

    [Fact]
    public void Safe_mode_flattens_only_when_configured()
    {
        Assert.True(ModePermissions.For(Mode.SafeMode, flattenOnSafeMode: true).FlattenPositions);
        var manager = new ModeManager(ModeOptions.Default with { FlattenOnSafeMode = true });
        var (state, _) = manager.Handle(ModeState.Initial, new RiskVeto(T0, "risk", "veto"));
        var p = manager.Permissions(state, T0);
        Assert.True(p.FlattenPositions);
        Assert.False(p.AllowsNewEntries);
    }

    [Fact]
    public void Degraded_signal_uses_cached_features_then_a_conservative_heuristic()
    {
        var manager = ModeManager.Default;
        var (state, _) = manager.Handle(ModeState.Initial, new HealthReported(T0, 100, 30, 100));
        Assert.Equal(SignalSource.CachedFeatures, manager.Permissions(state, T0.AddMinutes(4)).SignalSource);
        Assert.Equal(SignalSource.ConservativeHeuristic, manager.Permissions(state, T0.AddMinutes(5)).SignalSource);
    }

    [Fact]
    public void A_signal_condition_under_a_more_severe_mode_still_changes_the_signal_source()
    {
        var manager = ModeManager.Default;
        var (state, _) = manager.Handle(ModeState.Initial, new HealthReported(T0, 100, 30, 30));
        var p = manager.Permissions(state, T0);
        Assert.Equal(Mode.DegradedExec, p.Mode);
        Assert.False(p.AllowsNewEntries);
        Assert.Equal(SignalSource.CachedFeatures, p.SignalSource);
        Assert.Equal(SignalSource.Primary, manager.Permissions(ModeState.Initial, T0).SignalSource);
    }

    [Fact]
    public void Every_mode_has_a_display_name_and_path_mapping()
    {
        Assert.Equal(["NORMAL", "DEGRADED_COMM", "DEGRADED_SIGNAL", "DEGRADED_EXEC", "SAFE_MODE"], Enum.GetValues<Mode>().Select(m => m.Display()));
        Assert.Equal(Mode.DegradedExec, ModeNames.DegradedModeOf(HealthPath.Exec));
    }
}
