using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Tokenization;
using Microsoft.ML.PromptTuning.Tokenization;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class LabelWordsTests
{
    private static readonly LabelWords[] Defaults =
    [
        LabelWords.SentimentBinary(), LabelWords.SentimentThreeWay(), LabelWords.NliThreeWay(), LabelWords.NliTwoWay(),
        LabelWords.Paraphrase(), LabelWords.Ethics(),
    ];

    [TestMethod]
    [DataRow("roberta-base")]
    [DataRow("bert-base-uncased")]
    [DataRow("t5")]
    public void Defaults_EveryTokenizer_EachWordIsOneKnownToken(string family)
    {
        ModelTokenizer tokenizer = SharedTokenizers.ByName(family);

        foreach (LabelWords words in Defaults)
        {
            var verbalizer = new Verbalizer(words, tokenizer);
            foreach (int[] ids in verbalizer.WordTokenIds)
                Assert.AreEqual(1, ids.Length, $"{string.Join("/", words.Labels)} in {family}");
        }
    }

    [TestMethod]
    public void Defaults_TaskFamilies_UseThePapersWordsInLabelOrder()
    {
        Assert.AreEqual("0:negative 1:positive", Describe(LabelWords.SentimentBinary()));
        Assert.AreEqual("-1:negative 0:neutral 1:positive", Describe(LabelWords.SentimentThreeWay("-1", "0", "1")));
        Assert.AreEqual("entailment:yes neutral:maybe contradiction:no", Describe(LabelWords.NliThreeWay()));
        Assert.AreEqual("entailment:yes not_entailment:no", Describe(LabelWords.NliTwoWay()));
        Assert.AreEqual("0:no 1:yes", Describe(LabelWords.Paraphrase()));
        Assert.AreEqual("0:wrong 1:acceptable", Describe(LabelWords.Ethics()));
    }

    [TestMethod]
    public void Constructor_Dictionary_KeepsItsOrderAndAnswersLookups()
    {
        var words = new LabelWords(new Dictionary<string, IReadOnlyList<string>> { ["neg"] = ["bad", "awful"], ["pos"] = ["good"] });

        CollectionAssert.AreEqual(new[] { "neg", "pos" }, words.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { "bad", "awful" }, words["neg"].ToArray());
        Assert.AreEqual(1, words.IndexOf("pos"));
        Assert.AreEqual(2, words.Count);
    }

    [TestMethod]
    [DataRow("twice", "appears twice")]
    [DataRow("no words", "has no label words")]
    [DataRow("empty word", "empty label word")]
    [DataRow("padded word", "surrounding whitespace")]
    [DataRow("shared word", "used by both")]
    [DataRow("empty label", "null or empty")]
    [DataRow("none", "At least one label")]
    public void Constructor_InvalidMap_ThrowsNamingProblem(string problem, string message)
    {
        (string, string[])[] labels = problem switch
        {
            "twice" => [("a", ["x"]), ("a", ["y"])],
            "no words" => [("a", [])],
            "empty word" => [("a", ["x", " "])],
            "padded word" => [("a", [" x"])],
            "shared word" => [("a", ["x"]), ("b", ["x"])],
            "empty label" => [("", ["x"])],
            _ => [],
        };

        var error = Assert.ThrowsExactly<ArgumentException>(() => LabelWords.Of(labels));

        StringAssert.Contains(error.Message, message);
    }

    [TestMethod]
    public void IndexOf_UnknownLabel_ThrowsListingKnownLabels()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => LabelWords.Paraphrase().IndexOf("2"));

        StringAssert.Contains(error.Message, "Unknown label '2'");
        StringAssert.Contains(error.Message, "'0', '1'");
    }

    [TestMethod]
    public void ToJson_FromJson_RoundTripsLabelsWordsAndOrder()
    {
        LabelWords words = LabelWords.Of(("z", ["last", "final"]), ("a", ["first"]), ("ü", ["naïve \"quoted\""]));

        LabelWords back = LabelWords.FromJson(System.Text.Json.Nodes.JsonNode.Parse(words.ToJson().ToJsonString()));

        Assert.AreEqual(Describe(words), Describe(back));
    }

    [TestMethod]
    [DataRow("{\"a\": [\"x\"]}")]
    [DataRow("[{\"label\": \"a\"}]")]
    [DataRow("[{\"label\": 3, \"words\": [\"x\"]}]")]
    [DataRow("[{\"label\": \"a\", \"words\": [1]}]")]
    public void FromJson_WrongShape_ThrowsFormatException(string json)
    {
        Assert.ThrowsExactly<FormatException>(() => LabelWords.FromJson(System.Text.Json.Nodes.JsonNode.Parse(json)));
    }

    private static string Describe(LabelWords words) =>
        string.Join(" ", words.Labels.Select((label, i) => label + ":" + string.Join("|", words.WordsAt(i))));
}
