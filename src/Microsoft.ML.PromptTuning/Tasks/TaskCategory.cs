namespace Microsoft.ML.PromptTuning.Tasks;

/// <summary>The task families of Su et al. (2022), which the transferability results are grouped by.</summary>
public enum TaskCategory
{
    /// <summary>Sentiment analysis (SST-2, Rotten Tomatoes, IMDB, SemEval laptop and restaurant, TweetEval).</summary>
    Sentiment,

    /// <summary>Natural language inference (MNLI, QNLI, SNLI).</summary>
    NaturalLanguageInference,

    /// <summary>Ethical judgement (ETHICS deontology and justice).</summary>
    Ethics,

    /// <summary>Paraphrase identification (QQP, MRPC).</summary>
    Paraphrase,

    /// <summary>A task outside the paper's families.</summary>
    Other,
}
