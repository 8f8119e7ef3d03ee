namespace HueyP.Actors;

/// <summary>Akka's GracefulStop: stop an actor and learn when it has terminated (its children and PostStop done).</summary>
public static class GracefulStopSupport
{
    /// <summary>Stops <paramref name="target"/>; the task is true once it has terminated, false if that took longer than <paramref name="timeout"/>.</summary>
    public static async Task<bool> GracefulStop(this ActorSystem system, IActorRef target, TimeSpan timeout)
    {
        var terminated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new TerminationWatcher(target, terminated)));
        system.Stop(target);
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            await terminated.Task.ConfigureAwait(false);
            return true;
        }

        return await Task.WhenAny(terminated.Task, Task.Delay(timeout)).ConfigureAwait(false) == terminated.Task;
    }

    private sealed class TerminationWatcher : ReceiveActor
    {
        public TerminationWatcher(IActorRef subject, TaskCompletionSource terminated)
        {
            Context.Watch(subject);
            Receive<Terminated>(_ =>
            {
                terminated.TrySetResult();
                Context.Stop(Self);
            });
        }
    }
}
