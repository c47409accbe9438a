using System.CommandLine;
using Microsoft.ML.PromptTuning.Samples.Commands;

var root = new RootCommand("PromptTransfer: soft-prompt tuning and prompt transfer for ML.NET.")
{
    ReproduceCommand.Create(),
    CheckBackbonesCommand.Create(),
    PretrainCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PeftCommands.Export(),
    PeftCommands.Import(),
    SweepCommand.Create(),
    MergeCommand.Create(),
    TransferMatrixCommand.Create(),
    TransferInitCommand.Create(),
    IndicatorsCommand.Create(),
    ProjectCommand.Create(),
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}
try
{
    // Errors are reported as one line (exit code 1); a stack trace only with PROMPT_TRANSFER_DEBUG=1.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 1;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("PROMPT_TRANSFER_DEBUG") != "1")
{
    var reported = e is AggregateException or System.Reflection.TargetInvocationException ? e.GetBaseException() : e;
    Console.Error.WriteLine($"error: {reported.Message}");
    return 1;
}
