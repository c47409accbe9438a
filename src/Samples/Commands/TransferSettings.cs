using System.CommandLine;
using System.Text.Json;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;

namespace Microsoft.ML.PromptTuning.Samples.Commands;

/// <summary>
/// The options the transfer verbs share (backbone, data, prompt shape, training and evaluation sizes) and the prompt store:
/// each task's prompt is loaded from <c>&lt;prompts&gt;/&lt;task&gt;.safetensors</c> or trained and saved there, so a long run resumes.
/// </summary>
internal sealed class TransferSettings
{
    /// <summary>The 12 tasks of the paper's zero-shot matrix that the shared data holds.</summary>
    public static readonly string[] PaperTasks = ["sst2", "rotten_tomatoes", "imdb", "laptop", "restaurant", "mnli", "qnli", "snli", "qqp", "mrpc", "deontology", "justice"];

    private readonly Option<string> _backbone = new("--backbone") { Description = "Backbone model folder or hub id every prompt belongs to.", Required = true };
    private readonly Option<DirectoryInfo> _data = new("--data") { Description = "The data folder of the task catalog.", DefaultValueFactory = _ => new DirectoryInfo(TaskCatalog.DefaultDataDirectory) };
    private readonly Option<DirectoryInfo?> _prompts = new("--prompts") { Description = "Folder of task prompts (<task>.safetensors): loaded when present, otherwise trained and saved there (default: <output>/prompts)." };
    private readonly Option<int> _promptLength = new("--prompt-length") { Description = "Soft tokens per prompt.", DefaultValueFactory = _ => 100 };
    private readonly Option<int?> _maxLength = new("--max-length") { Description = "Longest input in tokens, prompt included; longer texts are truncated (default: the backbone's)." };
    private readonly Option<int> _steps = new("--steps") { Description = "Training steps per prompt.", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _batch = new("--batch-size") { Description = "Rows per training step.", DefaultValueFactory = _ => 16 };
    private readonly Option<double> _learningRate = new("--learning-rate") { Description = "Peak learning rate of the prompt.", DefaultValueFactory = _ => 1e-2 };
    private readonly Option<int> _evalEvery = new("--eval-every") { Description = "Validate every this many steps (the best prompt is kept; the learning-curve resolution).", DefaultValueFactory = _ => 50 };
    private readonly Option<int?> _maxTrainRows = new("--max-train-rows") { Description = "Training rows per task (a seeded sample; default all)." };
    private readonly Option<int?> _maxValidationRows = new("--max-validation-rows") { Description = "Validation rows per task (a seeded sample; default all)." };
    private readonly Option<int> _maxEvalRows = new("--max-eval-rows") { Description = "Evaluation (test) rows per target task (a seeded sample).", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of samples, the random prompt and batch order.", DefaultValueFactory = _ => 42 };
    private readonly Option<int> _threads = new("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => Environment.ProcessorCount };

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    public void AddTo(System.CommandLine.Command command)
    {
        foreach (Option option in new Option[] { _backbone, _data, _prompts, _promptLength, _maxLength, _steps, _batch, _learningRate, _evalEvery, _maxTrainRows, _maxValidationRows, _maxEvalRows, _seed, _threads })
            command.Options.Add(option);
    }

    public TaskCatalog Catalog(ParseResult parse) => new(parse.GetValue(_data)!.FullName);

    /// <summary>Sets the thread count and creates the evaluator (logging its progress to the console).</summary>
    public TransferabilityEvaluator Evaluator(ParseResult parse, CancellationToken cancellationToken)
    {
        TorchSharp.torch.set_num_threads(parse.GetValue(_threads));
        var context = new MLContext(parse.GetValue(_seed));
        context.Log += (_, e) =>
        {
            if (e.Source == "PromptTuning" && e.Kind is Microsoft.ML.Runtime.ChannelMessageKind.Info or Microsoft.ML.Runtime.ChannelMessageKind.Warning)
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} {e.RawMessage}");
        };
        return context.PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
        {
            Backbone = parse.GetValue(_backbone)!,
            PromptLength = parse.GetValue(_promptLength),
            MaxLength = parse.GetValue(_maxLength),
            MaxTrainRows = parse.GetValue(_maxTrainRows),
            MaxValidationRows = parse.GetValue(_maxValidationRows),
            MaxEvaluationRows = parse.GetValue(_maxEvalRows),
            Seed = parse.GetValue(_seed),
            RandomInitialization = new PromptInitializerOptions { Seed = parse.GetValue(_seed) },
            Trainer = new SoftPromptTrainerOptions
            {
                MaxSteps = parse.GetValue(_steps), BatchSize = parse.GetValue(_batch), LearningRate = parse.GetValue(_learningRate),
                EvaluateEverySteps = parse.GetValue(_evalEvery), Seed = parse.GetValue(_seed),
            },
            CancellationToken = cancellationToken,
        });
    }

    /// <summary>The prompt folder: <c>--prompts</c>, or <c>&lt;output&gt;/prompts</c>.</summary>
    public string PromptFolder(ParseResult parse, string output) => parse.GetValue(_prompts)?.FullName ?? Path.Combine(output, "prompts");

    /// <summary>Each task's prompt, loaded from <paramref name="folder"/> or trained (and saved with its learning curve).</summary>
    public static List<KeyValuePair<string, SoftPrompt>> LoadOrTrain(TransferabilityEvaluator evaluator, IReadOnlyList<PromptTask> tasks, string folder)
    {
        Directory.CreateDirectory(folder);
        var prompts = new List<KeyValuePair<string, SoftPrompt>>();
        foreach (var task in tasks)
        {
            string path = Path.Combine(folder, $"{task.Name}.safetensors");
            if (File.Exists(path))
            {
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} Loaded the '{task.Name}' prompt from {path}.");
                prompts.Add(new(task.Name, SoftPrompt.Load(path)));
                continue;
            }
            using var training = evaluator.TrainPrompt(task);
            training.Prompt.Save(path);
            // Written beside, then renamed: a stopped run never leaves half a file.
            string curve = Path.Combine(folder, $"{task.Name}.curve.json");
            File.WriteAllText(curve + ".tmp", JsonSerializer.Serialize(training.LearningCurve, new JsonSerializerOptions { WriteIndented = true }));
            File.Move(curve + ".tmp", curve, overwrite: true);
            prompts.Add(new(task.Name, SoftPrompt.Load(path)));
        }
        return prompts;
    }

    /// <summary>"a,b c" → [a, b, c].</summary>
    public static string[] SplitList(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
