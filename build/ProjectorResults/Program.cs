using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.PromptTuning;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Projection;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;
using Microsoft.ML.PromptTuning.Transfer;

// Cross-model prompt projection between the shipped models (Su et al. 2022, section 6), run from the repository root:
//   dotnet build/ProjectorResults/bin/.../ProjectorResults.dll <output folder> [prompt steps] [projector steps] [prompt length] [train rows] [evaluation rows]
// 1. each model's own prompt for every task (random = sampled-vocabulary init, the matrix's random row);
// 2. for both directions, a projector per method (Distance Minimizing, Task Tuning) and training task (SST-2, MNLI),
//    applied to the source model's prompt of every task and scored zero-shot on the target model;
// 3. the Task-Tuning projection of the source prompt as the initial prompt of the target's own training, against random init.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string output = Path.GetFullPath(args.ElementAtOrDefault(0) ?? "projector-results");
int promptSteps = int.Parse(args.ElementAtOrDefault(1) ?? "300");
int projectorSteps = int.Parse(args.ElementAtOrDefault(2) ?? "200");
int promptLength = int.Parse(args.ElementAtOrDefault(3) ?? "20");
int trainRows = int.Parse(args.ElementAtOrDefault(4) ?? "4000");
int evaluationRows = int.Parse(args.ElementAtOrDefault(5) ?? "500");
Directory.CreateDirectory(output);
TorchSharp.torch.set_num_threads(1);

var models = new Dictionary<string, string> { ["roberta-small"] = Path.GetFullPath("models/roberta-small"), ["t5-small"] = Path.GetFullPath("models/t5-small") };
string[] taskNames = ["sst2", "rotten_tomatoes", "mnli", "snli"];
string[] projectorTasks = ["sst2", "mnli"];
var catalog = new TaskCatalog(Path.GetFullPath("../shared/data"));
var tasks = taskNames.ToDictionary(n => n, catalog.Get);
var context = new MLContext(seed: 42);
var clock = Stopwatch.StartNew();
void Log(string message) => Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {message}");

var promptTraining = new SoftPromptTrainerOptions { LearningRate = 0.03, BatchSize = 16, MaxSteps = promptSteps, EvaluateEverySteps = 25, Seed = 42 };
var evaluators = models.ToDictionary(m => m.Key, m => context.PromptTuning().TransferabilityEvaluator(new TransferabilityOptions
{
    Backbone = m.Value, PromptLength = promptLength, Trainer = promptTraining, MaxTrainRows = trainRows, MaxValidationRows = 200,
    MaxEvaluationRows = evaluationRows, Seed = 42,
}));
var results = new Results(promptLength, promptSteps, projectorSteps, trainRows, evaluationRows);

// 1. Each model's own prompts, and the random prompt.
var own = new Dictionary<(string Model, string Task), TaskPromptTraining>();
foreach (var (model, evaluator) in evaluators)
{
    using var random = evaluator.RandomPrompt();
    foreach (var (name, task) in tasks)
    {
        var trained = evaluator.TrainPrompt(task);
        own[(model, name)] = trained;
        trained.Prompt.Save(Path.Combine(output, $"prompt-{model}-{name}.safetensors"));
        results.Scores.Add(new Score(model, "own prompt", "", name, evaluator.Score(task, trained.Prompt).Primary));
        results.Scores.Add(new Score(model, "random prompt", "", name, evaluator.Score(task, random).Primary));
        Log($"{model} {name}: own {results.Scores[^2].Accuracy:P1} (validation {trained.BestValidationMetric:P1}, {trained.WallTime.TotalSeconds:F0} s), random {results.Scores[^1].Accuracy:P1}");
    }
}
Save();

// 2. Projectors, both directions, both methods, trained on one sentiment and one NLI task.
var projectedInitializations = new Dictionary<(string Source, string Target, string Task), SoftPrompt>();
foreach (var (source, target) in new[] { ("roberta-small", "t5-small"), ("t5-small", "roberta-small") })
{
    foreach (string trainTask in projectorTasks)
    {
        foreach (var method in new[] { ProjectionMethod.DistanceMinimizing, ProjectionMethod.TaskTuning })
        {
            var watch = Stopwatch.StartNew();
            using var fitted = FitProjector(source, target, trainTask, method);
            string row = $"{(method == ProjectionMethod.DistanceMinimizing ? "Distance Minimizing" : "Task Tuning")} ({trainTask})";
            fitted.Projector.Save(Path.Combine(output, $"projector-{source}-to-{target}-{method}-{trainTask}.safetensors"));
            if (method == ProjectionMethod.TaskTuning)
                projectedInitializations[(source, target, trainTask)] = fitted.Projector.Project(own[(source, trainTask)].Prompt);
            foreach (var (name, task) in tasks)
            {
                using var projected = fitted.Projector.Project(own[(source, name)].Prompt);
                results.Scores.Add(new Score(target, row, source, name, evaluators[target].Score(task, projected).Primary));
            }
            results.Projectors.Add(new ProjectorRun(source, target, method.ToString(), trainTask, fitted.LearningCurve.Count == 0 ? 0 : fitted.LearningCurve[^1].Step,
                fitted.LearningCurve.Select(p => p.ValidationMetric).Max(), watch.Elapsed.TotalSeconds, fitted.LearningCurve));
            Log($"{source} -> {target} {row}: {string.Join(", ", results.Scores.TakeLast(tasks.Count).Select(s => $"{s.Task} {s.Accuracy:P1}"))} ({watch.Elapsed.TotalSeconds:F0} s)");
            Save();
        }
    }
}

// 3. The Task-Tuning projection as the initial prompt of the target's own training, against random init (the own run).
foreach (var (source, target) in new[] { ("roberta-small", "t5-small"), ("t5-small", "roberta-small") })
{
    foreach (string trainTask in projectorTasks)
    {
        using var projected = projectedInitializations[(source, target, trainTask)];
        using var transferred = evaluators[target].TrainPrompt(tasks[trainTask], projected, $"projected-{source}");
        var random = own[(target, trainTask)];
        var crossings = InitializationTransfer.Fractions.Select(f => ThresholdCrossing.Of(f, random.LearningCurve, transferred.LearningCurve)).ToList();
        results.Initializations.Add(new InitializationRun(source, target, trainTask, random.LearningCurve, transferred.LearningCurve, crossings,
            evaluators[target].Score(tasks[trainTask], random.Prompt).Primary, evaluators[target].Score(tasks[trainTask], transferred.Prompt).Primary));
        Log($"init {source} -> {target} {trainTask}: " + string.Join(", ", crossings.Select(c => $"{c.Fraction:P0} of random best: random step {c.RandomStep?.ToString() ?? "-"}, projected step {c.TransferStep?.ToString() ?? "-"}")));
        Save();
    }
}
File.WriteAllText(Path.Combine(output, "SUMMARY.md"), results.Markdown(taskNames));
Log("done");
return 0;

PromptProjectorTransformer FitProjector(string source, string target, string trainTask, ProjectionMethod method)
{
    var task = tasks[trainTask];
    var train = Sample(task.Load(TaskSplit.Train), method == ProjectionMethod.TaskTuning ? trainRows : 2, 42);
    var options = new PromptProjectorOptions
    {
        Method = method,
        SourcePrompt = own[(source, trainTask)].Prompt,
        TargetPrompt = method == ProjectionMethod.DistanceMinimizing ? own[(target, trainTask)].Prompt : null,
        TargetBackbone = models[target],
        Template = task.TemplateFor(promptLength, target == "roberta-small").ToString(),
        TextColumnNames = task.TextColumns.ToList(),
        LabelColumnName = PromptTask.LabelColumn,
        LabelWords = task.LabelWords,
        ValidationData = Sample(task.Load(TaskSplit.Validation), 200, 42),
        Projector = new PromptProjectorTrainerOptions
        {
            Training = new SoftPromptTrainerOptions { LearningRate = PromptProjectorTrainerOptions.DefaultLearningRate, BatchSize = 16, MaxSteps = projectorSteps, EvaluateEverySteps = 25, EarlyStoppingPatience = 4, Seed = 42 },
        },
    };
    return context.PromptTuning().PromptProjector(options).Fit(train);
}

void Save() => File.WriteAllText(Path.Combine(output, "results.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));

static TextTable Sample(TextTable table, int rows, int seed)
{
    var order = Enumerable.Range(0, table.RowCount).ToArray();
    new Random(seed).Shuffle(order);
    return table.Subset(order.Take(Math.Min(rows, order.Length)).Order());
}

internal sealed record Score(string Model, string Prompt, string Source, string Task, double Accuracy);

internal sealed record ProjectorRun(string Source, string Target, string Method, string TrainTask, int Steps, double? BestValidationAccuracy, double Seconds, IReadOnlyList<LearningCurvePoint> Curve);

internal sealed record InitializationRun(string Source, string Target, string Task, IReadOnlyList<LearningCurvePoint> RandomCurve, IReadOnlyList<LearningCurvePoint> ProjectedCurve,
    IReadOnlyList<ThresholdCrossing> Crossings, double RandomFinal, double ProjectedFinal);

internal sealed record Results(int PromptLength, int PromptSteps, int ProjectorSteps, int TrainRows, int EvaluationRows)
{
    public List<Score> Scores { get; } = new();
    public List<ProjectorRun> Projectors { get; } = new();
    public List<InitializationRun> Initializations { get; } = new();

    public string Markdown(IReadOnlyList<string> tasks)
    {
        var text = new StringBuilder();
        foreach (var (source, target) in new[] { ("roberta-small", "t5-small"), ("t5-small", "roberta-small") })
        {
            text.AppendLine($"### {source} → {target} (zero-shot accuracy on the target model, {EvaluationRows} test rows at most)\n");
            text.AppendLine("| prompt | " + string.Join(" | ", tasks) + " |");
            text.AppendLine("|---|" + string.Concat(tasks.Select(_ => "---|")));
            var rows = Scores.Where(s => s.Model == target && (s.Source == source || s.Source == "")).GroupBy(s => s.Prompt);
            foreach (var row in rows.OrderBy(r => r.Key.StartsWith("Distance") || r.Key.StartsWith("Task") ? 0 : 1))
                text.AppendLine($"| {row.Key} | " + string.Join(" | ", tasks.Select(t => row.FirstOrDefault(s => s.Task == t) is { } s ? $"{s.Accuracy * 100:F1}" : "-")) + " |");
            text.AppendLine();
        }
        text.AppendLine("### Projected prompt as initialisation (Task Tuning projector) vs random initialisation\n");
        text.AppendLine("| direction | task | random: step to 90% / 100% of its best | projected: step to 90% / 100% | speed-up (steps) 90% / 100% | final test accuracy random / projected |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var run in Initializations)
        {
            string Steps(Func<ThresholdCrossing, int?> step) => string.Join(" / ", run.Crossings.Select(c => step(c)?.ToString(CultureInfo.InvariantCulture) ?? "never"));
            text.AppendLine($"| {run.Source} → {run.Target} | {run.Task} | {Steps(c => c.RandomStep)} | {Steps(c => c.TransferStep)} | " +
                string.Join(" / ", run.Crossings.Select(c => c.StepSpeedup is double s ? $"{s:F2}×" : "-")) + $" | {run.RandomFinal * 100:F1} / {run.ProjectedFinal * 100:F1} |");
        }
        return text.ToString();
    }
}
