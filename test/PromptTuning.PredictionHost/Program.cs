using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning;

// Usage: PromptTuning.PredictionHost <model.zip> <texts.json>  (a JSON array of strings, the "Text" column)
// Prints a JSON array of {"PredictedLabel": ..., "Score": [...]} from a PredictionEngine over the loaded model.
var context = new MLContext(seed: 1);
context.PromptTuning(); // registers the library's CustomMapping scorers for loading
var model = context.Model.Load(args[0], out _);
var texts = JsonSerializer.Deserialize<string[]>(File.ReadAllText(args[1]))!;
var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(model);
var predictions = texts.Select(t => engine.Predict(new TextRow { Text = t })).Select(p => new { p.PredictedLabel, p.Score }).ToList();
Console.WriteLine(JsonSerializer.Serialize(predictions));

internal sealed class TextRow
{
    public string Text { get; set; } = "";
}

internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}
