using Microsoft.ML.Data;

namespace Microsoft.ML.PromptTuning.MLNet.Persistence;

/// <summary>Input of the state-key mapping: the concatenated text columns.</summary>
public sealed class PromptTextsRow
{
    [ColumnName(PersistenceColumns.Texts)]
    public string[] Texts { get; set; } = [];
}

/// <summary>Output of the state-key mapping: the constant key the state <c>ValueMapping</c> looks up.</summary>
public sealed class PromptStateKeyRow
{
    [ColumnName(PersistenceColumns.StateKey)]
    public string Key { get; set; } = "";
}

/// <summary>Input of the saved scorer: the texts and the stored state.</summary>
public sealed class PromptScorerInput
{
    [ColumnName(PersistenceColumns.Texts)]
    public string[] Texts { get; set; } = [];

    [ColumnName(PersistenceColumns.State)]
    public string State { get; set; } = "";
}

/// <summary>Saved-scorer output for text (and key) labels.</summary>
public sealed class TextLabelPrediction
{
    [ColumnName(PersistenceColumns.PredictedLabel)]
    public string PredictedLabel { get; set; } = "";

    [ColumnName(PersistenceColumns.Score)]
    public float[] Score { get; set; } = [];
}

/// <summary>Saved-scorer output for boolean labels.</summary>
public sealed class BooleanLabelPrediction
{
    [ColumnName(PersistenceColumns.PredictedLabel)]
    public bool PredictedLabel { get; set; }

    [ColumnName(PersistenceColumns.Score)]
    public float[] Score { get; set; } = [];

    [ColumnName(PersistenceColumns.Probability)]
    public float Probability { get; set; }
}

/// <summary>Saved-scorer output for text (and key) labels with the mask representation <c>[hidden]</c>.</summary>
public sealed class TextLabelPredictionWithRepresentation
{
    [ColumnName(PersistenceColumns.PredictedLabel)]
    public string PredictedLabel { get; set; } = "";

    [ColumnName(PersistenceColumns.Score)]
    public float[] Score { get; set; } = [];

    [ColumnName(PersistenceColumns.MaskRepresentation)]
    public float[] MaskRepresentation { get; set; } = [];
}

/// <summary>Saved-scorer output for boolean labels with the mask representation <c>[hidden]</c>.</summary>
public sealed class BooleanLabelPredictionWithRepresentation
{
    [ColumnName(PersistenceColumns.PredictedLabel)]
    public bool PredictedLabel { get; set; }

    [ColumnName(PersistenceColumns.Score)]
    public float[] Score { get; set; } = [];

    [ColumnName(PersistenceColumns.Probability)]
    public float Probability { get; set; }

    [ColumnName(PersistenceColumns.MaskRepresentation)]
    public float[] MaskRepresentation { get; set; } = [];
}
