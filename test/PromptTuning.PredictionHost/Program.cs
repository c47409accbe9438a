using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning;

// Usage: PromptTuning.PredictionHost <model.zip> <texts.json> [representation-column]  (texts: a JSON array of strings, the "Text" column)
// Prints a JSON array of {"PredictedLabel": ..., "Score": [...], "MaskRepresentation": [...]} from a PredictionEngine over the
// loaded model; MaskRepresentation is read from the named column, and is empty without one.
var context = new MLContext(seed: 1);
context.PromptTuning(); // registers the library's CustomMapping scorers for loading
var model = context.Model.Load(args[0], out _);
var texts = JsonSerializer.Deserialize<string[]>(File.ReadAllText(args[1]))!;
object predictions;
if (args.Length > 2)
{
    var definition = SchemaDefinition.Create(typeof(PredictionWithRepresentation));
    definition[nameof(PredictionWithRepresentation.MaskRepresentation)].ColumnName = args[2];
    var engine = context.Model.CreatePredictionEngine<TextRow, PredictionWithRepresentation>(model, outputSchemaDefinition: definition);
    predictions = texts.Select(t => engine.Predict(new TextRow { Text = t })).Select(p => new { p.PredictedLabel, p.Score, p.MaskRepresentation }).ToList();
}
else
{
    var engine = context.Model.CreatePredictionEngine<TextRow, Prediction>(model);
    predictions = texts.Select(t => engine.Predict(new TextRow { Text = t })).Select(p => new { p.PredictedLabel, p.Score, MaskRepresentation = Array.Empty<float>() }).ToList();
}
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

internal sealed class PredictionWithRepresentation
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];

    public float[] MaskRepresentation { get; set; } = [];
}
