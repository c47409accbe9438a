using Microsoft.ML.PromptTuning.PredictionHost;

// A separate process for the tests that need one (a fresh runtime, a kill, other process limits or privileges):
//   PromptTuning.PredictionHost <model.zip> <texts.json> [mask-representation column]
//       loads an ML.NET model zip and prints the PredictionEngine's predictions of the texts as JSON
//   PromptTuning.PredictionHost train <backbone> <checkpoint folder | -> <prompt.safetensors> [pause at step]
//       trains a small prompt with the estimator, printing "step N" lines (and waiting to be killed at the pause step)
//   PromptTuning.PredictionHost save-prompt <prompt.safetensors> <tokens> <hidden>
//       saves a random prompt of that shape
// A failure prints "<exception type>: <message>" to stderr and exits with 1.
try
{
    return args switch
    {
        ["train", .. var rest] => TrainingRun.Run(rest),
        ["save-prompt", .. var rest] => PromptWrite.Run(rest),
        _ => Predictions.Run(args),
    };
}
catch (Exception e)
{
    Console.Error.WriteLine($"{e.GetType().FullName}: {e.Message}");
    return 1;
}
