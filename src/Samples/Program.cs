using System.CommandLine;
using Microsoft.ML.PromptTuning.Samples.Commands;

var root = new RootCommand("PromptTransfer: soft-prompt tuning and prompt transfer for ML.NET.")
{
    CheckBackbonesCommand.Create(),
    PretrainCommand.Create(),
    TrainCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
