using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.PredictionHost;

/// <summary>Loads a model zip in this fresh process and prints the PredictionEngine's predictions as JSON.</summary>
internal static class Predictions
{
    /// <param name="args">
    /// The model zip, a JSON array of strings (the "Text" column) and optionally the mask-representation column to read
    /// (printed as "MaskRepresentation"; empty without one).
    /// </param>
    public static int Run(string[] args)
    {
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
        return 0;
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    private sealed class PredictionWithRepresentation
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];

        public float[] MaskRepresentation { get; set; } = [];
    }
}
