namespace Microsoft.ML.PromptTuning.Tokenization;

/// <summary>Loads the tokenizer of a Hugging Face model folder, choosing the family by the files present and the configs.</summary>
internal static class TokenizerDirectory
{
    public const string SentencePieceModel = "spiece.model";
    public const string BpeVocabulary = "vocab.json";
    public const string BpeMerges = "merges.txt";
    public const string WordPieceVocabulary = "vocab.txt";
    public const string ModelConfig = "config.json";
    public const string TokenizerConfig = "tokenizer_config.json";
    public const string FastTokenizer = "tokenizer.json";

    private enum Family { T5, Roberta, Bert }

    // model_type values of config.json and tokenizer_class stems ("BertTokenizerFast" → "Bert") of tokenizer_config.json.
    private static readonly Dictionary<string, Family> FamilyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["t5"] = Family.T5,
        ["roberta"] = Family.Roberta,
        ["bert"] = Family.Bert,
        ["distilbert"] = Family.Bert,
    };

    /// <summary>Implements <see cref="ModelTokenizer.FromDirectory"/>.</summary>
    public static ModelTokenizer Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Tokenizer folder '{directory}' does not exist.");
        HuggingFaceJsonFile? tokenizerConfig = HuggingFaceJsonFile.TryRead(Path.Combine(directory, TokenizerConfig));
        return ChooseFamily(directory, tokenizerConfig) switch
        {
            Family.T5 => T5SentencePieceTokenizer.FromFile(Path.Combine(directory, SentencePieceModel),
                ReadExtraIds(tokenizerConfig)),
            Family.Roberta => RobertaBpeTokenizer.FromFiles(Path.Combine(directory, BpeVocabulary), Path.Combine(directory, BpeMerges)),
            _ => LoadBert(Path.Combine(directory, WordPieceVocabulary), tokenizerConfig),
        };
    }

    private static Family ChooseFamily(string directory, HuggingFaceJsonFile? tokenizerConfig)
    {
        var present = new List<Family>();
        if (File.Exists(Path.Combine(directory, SentencePieceModel)))
            present.Add(Family.T5);
        if (File.Exists(Path.Combine(directory, BpeVocabulary)) && File.Exists(Path.Combine(directory, BpeMerges)))
            present.Add(Family.Roberta);
        if (File.Exists(Path.Combine(directory, WordPieceVocabulary)))
            present.Add(Family.Bert);
        if (present.Count == 0)
            throw new FileNotFoundException(
                $"No tokenizer files in '{directory}': expected {SentencePieceModel} (T5), {BpeVocabulary} + {BpeMerges} (RoBERTa) " +
                $"or {WordPieceVocabulary} (BERT).{DescribePartialBpe(directory)}{DescribeFastOnly(directory)}", directory);
        if (present.Count == 1)
            return present[0];
        // Several families' files: the configs name the model; without a usable hint the order above decides.
        Family? named = NamedFamily(directory, tokenizerConfig);
        return named is { } family && present.Contains(family) ? family : present[0];
    }

    private static Family? NamedFamily(string directory, HuggingFaceJsonFile? tokenizerConfig)
    {
        string? modelType = HuggingFaceJsonFile.TryRead(Path.Combine(directory, ModelConfig))?.GetString("model_type");
        if (modelType is not null && FamilyNames.TryGetValue(modelType, out Family fromModel))
            return fromModel;
        string? tokenizerClass = tokenizerConfig?.GetString("tokenizer_class");
        if (tokenizerClass is null)
            return null;
        string stem = tokenizerClass.Replace("TokenizerFast", "").Replace("Tokenizer", "");
        return FamilyNames.TryGetValue(stem, out Family fromTokenizer) ? fromTokenizer : null;
    }

    private static string DescribePartialBpe(string directory)
    {
        bool vocab = File.Exists(Path.Combine(directory, BpeVocabulary)), merges = File.Exists(Path.Combine(directory, BpeMerges));
        return vocab == merges ? "" : $" {(vocab ? BpeVocabulary : BpeMerges)} is present but {(vocab ? BpeMerges : BpeVocabulary)} is missing.";
    }

    private static string DescribeFastOnly(string directory) => File.Exists(Path.Combine(directory, FastTokenizer))
        ? $" {FastTokenizer} alone is not supported; the folder needs the files above."
        : "";

    private static int ReadExtraIds(HuggingFaceJsonFile? tokenizerConfig)
    {
        int extraIds = tokenizerConfig?.GetInt32("extra_ids") ?? T5SentencePieceTokenizer.DefaultExtraIds;
        return extraIds >= 0 ? extraIds : throw new InvalidDataException($"{tokenizerConfig!.Path}: \"extra_ids\" must not be negative.");
    }

    private static BertWordPieceTokenizer LoadBert(string vocabPath, HuggingFaceJsonFile? tokenizerConfig)
    {
        IReadOnlyList<string> tokens = BertWordPieceTokenizer.ReadVocabularyLines(vocabPath);
        (bool lowerCase, bool? stripAccents) = BertCasing.Resolve(tokenizerConfig, tokens);
        return BertWordPieceTokenizer.FromLines(vocabPath, tokens, lowerCase, stripAccents);
    }
}
