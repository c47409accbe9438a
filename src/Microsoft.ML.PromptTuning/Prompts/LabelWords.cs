using System.Text.Json.Nodes;

namespace Microsoft.ML.PromptTuning.Prompts;

/// <summary>
/// The labels of a task, in a fixed order (the order of score columns), each with one or more label words; tokenizer-free,
/// so it can be stored with a <see cref="SoftPrompt"/>. Defaults give the label words of Su et al. (2022) per task family.
/// </summary>
public sealed class LabelWords
{
    private readonly string[] _labels;
    private readonly string[][] _words;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates the map; the enumeration order of <paramref name="labelWords"/> fixes the label order (pass a list of
    /// pairs, not a dictionary, when that order matters).</summary>
    /// <exception cref="ArgumentException">No labels, a repeated or empty label, a label without words, an empty word, a word with
    /// surrounding whitespace, or a word used twice; the message names it.</exception>
    public LabelWords(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> labelWords)
    {
        ArgumentNullException.ThrowIfNull(labelWords);
        var pairs = labelWords.ToList();
        if (pairs.Count == 0)
            throw new ArgumentException("At least one label is required.", nameof(labelWords));
        _labels = new string[pairs.Count];
        _words = new string[pairs.Count][];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < pairs.Count; i++)
        {
            (string label, IReadOnlyList<string> words) = pairs[i];
            if (string.IsNullOrEmpty(label))
                throw new ArgumentException($"Label {i} is null or empty.", nameof(labelWords));
            if (!_index.TryAdd(label, i))
                throw new ArgumentException($"The label '{label}' appears twice.", nameof(labelWords));
            if (words is null || words.Count == 0)
                throw new ArgumentException($"The label '{label}' has no label words.", nameof(labelWords));
            foreach (string word in words)
            {
                if (string.IsNullOrWhiteSpace(word))
                    throw new ArgumentException($"The label '{label}' has an empty label word.", nameof(labelWords));
                if (word != word.Trim())
                    throw new ArgumentException(
                        $"The label word '{word}' of '{label}' has surrounding whitespace; write the bare word, the verbalizer adds the word-initial space.", nameof(labelWords));
                if (!owners.TryAdd(word, label))
                    throw new ArgumentException($"The label word '{word}' is used by both '{owners[word]}' and '{label}'.", nameof(labelWords));
            }
            _labels[i] = label;
            _words[i] = words.ToArray();
        }
    }

    /// <summary>The labels in score-column order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The number of labels.</summary>
    public int Count => _labels.Length;

    /// <summary>The label words of the label at <paramref name="labelIndex"/>.</summary>
    public IReadOnlyList<string> WordsAt(int labelIndex) => _words[labelIndex];

    /// <summary>The label words of <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">The label is unknown.</exception>
    public IReadOnlyList<string> this[string label] => _words[IndexOf(label)];

    /// <summary>The score column of <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">The label is not one of <see cref="Labels"/> (e.g. a training row with an unexpected label).</exception>
    public int IndexOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return _index.TryGetValue(label, out int index)
            ? index
            : throw new ArgumentException($"Unknown label '{label}'; the verbalizer knows {string.Join(", ", _labels.Select(l => $"'{l}'"))}.", nameof(label));
    }

    /// <summary>Builds a map from labels in order, each with its words.</summary>
    public static LabelWords Of(params (string Label, string[] Words)[] labels) =>
        new(labels.Select(l => new KeyValuePair<string, IReadOnlyList<string>>(l.Label, l.Words)));

    /// <summary>Binary sentiment (SST-2, IMDB, Rotten Tomatoes): <c>negative</c> / <c>positive</c>.</summary>
    public static LabelWords SentimentBinary(string negative = "0", string positive = "1") =>
        Of((negative, ["negative"]), (positive, ["positive"]));

    /// <summary>Three-way sentiment (TweetEval 0/1/2; SemEval laptop and restaurant use -1/0/1): <c>negative</c> /
    /// <c>neutral</c> / <c>positive</c>.</summary>
    public static LabelWords SentimentThreeWay(string negative = "0", string neutral = "1", string positive = "2") =>
        Of((negative, ["negative"]), (neutral, ["neutral"]), (positive, ["positive"]));

    /// <summary>Three-way NLI (MNLI, SNLI): entailment → <c>yes</c>, neutral → <c>maybe</c>, contradiction → <c>no</c>.</summary>
    public static LabelWords NliThreeWay(string entailment = "entailment", string neutral = "neutral", string contradiction = "contradiction") =>
        Of((entailment, ["yes"]), (neutral, ["maybe"]), (contradiction, ["no"]));

    /// <summary>Two-way NLI (QNLI, RTE): entailment → <c>yes</c>, not entailment → <c>no</c>.</summary>
    public static LabelWords NliTwoWay(string entailment = "entailment", string notEntailment = "not_entailment") =>
        Of((entailment, ["yes"]), (notEntailment, ["no"]));

    /// <summary>Paraphrase (QQP, MRPC; 1 = paraphrase): <c>no</c> / <c>yes</c>.</summary>
    public static LabelWords Paraphrase(string notParaphrase = "0", string paraphrase = "1") =>
        Of((notParaphrase, ["no"]), (paraphrase, ["yes"]));

    /// <summary>Ethical judgement (ETHICS deontology and justice; 1 = acceptable): <c>wrong</c> / <c>acceptable</c>, words that
    /// name the labels' meaning and are single tokens in the RoBERTa, BERT and T5 vocabularies.</summary>
    public static LabelWords Ethics(string unacceptable = "0", string acceptable = "1") =>
        Of((unacceptable, ["wrong"]), (acceptable, ["acceptable"]));

    /// <summary>The map as JSON, <c>[{"label": …, "words": [ … ]}, …]</c>, an array so the label order is explicit.</summary>
    public JsonArray ToJson() =>
        new(_labels.Select((label, i) => (JsonNode)new JsonObject
        {
            ["label"] = label,
            ["words"] = new JsonArray(_words[i].Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
        }).ToArray());

    /// <summary>Reads the JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The JSON does not have that shape.</exception>
    /// <exception cref="ArgumentException">The content breaks a rule of the constructor.</exception>
    public static LabelWords FromJson(JsonNode? json)
    {
        if (json is not JsonArray array)
            throw new FormatException("Label words must be a JSON array of {\"label\", \"words\"} objects.");
        return new LabelWords(array.Select(entry =>
        {
            if (entry is not JsonObject obj || obj["label"] is not JsonValue label || obj["words"] is not JsonArray words)
                throw new FormatException($"The label-words entry {entry?.ToJsonString() ?? "null"} is not {{\"label\": string, \"words\": [strings]}}.");
            string[] list = words.Select(w => w is JsonValue v && v.TryGetValue(out string? s)
                ? s
                : throw new FormatException($"A label word of {obj.ToJsonString()} is not a string.")).ToArray();
            return new KeyValuePair<string, IReadOnlyList<string>>(
                label.TryGetValue(out string? name) ? name : throw new FormatException($"The label of {obj.ToJsonString()} is not a string."), list);
        }).ToList());
    }
}
