using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>Emits the constant key under which the state is stored (a saved model's first custom step).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PromptStateKeyFactory : CustomMappingFactory<PromptTextsRow, PromptStateKeyRow>
{
    public const string ContractName = "Microsoft.ML.PromptTuning.StateKey";

    public static void Map(PromptTextsRow input, PromptStateKeyRow output) => output.Key = PersistenceColumns.StateKeyValue;

    public override Action<PromptTextsRow, PromptStateKeyRow> GetMapping() => Map;
}

/// <summary>Scores one row of a saved model with a text (or key) label.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class TextLabelScorerFactory : CustomMappingFactory<PromptScorerInput, TextLabelPrediction>
{
    public const string ContractName = "Microsoft.ML.PromptTuning.TextLabelScorer";

    public static void Map(PromptScorerInput input, TextLabelPrediction output)
    {
        var (predictor, _) = LoadedSoftPrompts.Get(input.State);
        float[] probabilities = predictor.Predict([input.Texts])[0];
        output.Score = probabilities;
        output.PredictedLabel = predictor.Labels[PromptClassifier.ArgMax(probabilities)];
    }

    public override Action<PromptScorerInput, TextLabelPrediction> GetMapping() => Map;
}

/// <summary>Scores one row of a saved model with a boolean label.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BooleanLabelScorerFactory : CustomMappingFactory<PromptScorerInput, BooleanLabelPrediction>
{
    public const string ContractName = "Microsoft.ML.PromptTuning.BooleanLabelScorer";

    public static void Map(PromptScorerInput input, BooleanLabelPrediction output)
    {
        var (predictor, _) = LoadedSoftPrompts.Get(input.State);
        float[] probabilities = predictor.Predict([input.Texts])[0];
        int trueIndex = predictor.Labels.ToList().IndexOf("true");
        output.Score = probabilities;
        output.Probability = probabilities[trueIndex];
        output.PredictedLabel = PromptClassifier.ArgMax(probabilities) == trueIndex;
    }

    public override Action<PromptScorerInput, BooleanLabelPrediction> GetMapping() => Map;
}

/// <summary>Scores one row of a saved model with a text (or key) label and adds its mask representation, from one forward pass.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class TextLabelRepresentationScorerFactory : CustomMappingFactory<PromptScorerInput, TextLabelPredictionWithRepresentation>
{
    public const string ContractName = "Microsoft.ML.PromptTuning.TextLabelRepresentationScorer";

    public static void Map(PromptScorerInput input, TextLabelPredictionWithRepresentation output)
    {
        var (predictor, _) = LoadedSoftPrompts.Get(input.State);
        var (probabilities, representations) = predictor.Predict([input.Texts], withRepresentation: true);
        output.Score = probabilities[0];
        output.PredictedLabel = predictor.Labels[PromptClassifier.ArgMax(probabilities[0])];
        output.MaskRepresentation = representations![0];
    }

    public override Action<PromptScorerInput, TextLabelPredictionWithRepresentation> GetMapping() => Map;
}

/// <summary>Scores one row of a saved model with a boolean label and adds its mask representation, from one forward pass.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BooleanLabelRepresentationScorerFactory : CustomMappingFactory<PromptScorerInput, BooleanLabelPredictionWithRepresentation>
{
    public const string ContractName = "Microsoft.ML.PromptTuning.BooleanLabelRepresentationScorer";

    public static void Map(PromptScorerInput input, BooleanLabelPredictionWithRepresentation output)
    {
        var (predictor, _) = LoadedSoftPrompts.Get(input.State);
        var (probabilities, representations) = predictor.Predict([input.Texts], withRepresentation: true);
        int trueIndex = predictor.Labels.ToList().IndexOf("true");
        output.Score = probabilities[0];
        output.Probability = probabilities[0][trueIndex];
        output.PredictedLabel = PromptClassifier.ArgMax(probabilities[0]) == trueIndex;
        output.MaskRepresentation = representations![0];
    }

    public override Action<PromptScorerInput, BooleanLabelPredictionWithRepresentation> GetMapping() => Map;
}
