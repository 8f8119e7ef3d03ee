using HueyP.Node.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C asks for an orderly stop; a second one is the process default (kill).
    if (!cancel.IsCancellationRequested)
    {
        e.Cancel = true;
        cancel.Cancel();
    }
};

return await CliApp.RunAsync(args, Console.Out, Console.Error, PaletteRegistry.All, cancel.Token);
