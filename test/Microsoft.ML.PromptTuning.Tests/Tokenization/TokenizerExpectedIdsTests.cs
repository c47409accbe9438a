using System.Reflection;
using System.Text.Json;

namespace Microsoft.ML.PromptTuning.Tests.Tokenization;

/// <summary>Exact id parity with the reference Hugging Face tokenizers (<c>fixtures/tokenizer_expected.json</c>).</summary>
[TestClass]
public sealed class TokenizerExpectedIdsTests
{
    /// <summary>One row per (tokenizer, text, expected ids) of the fixture.</summary>
    public static IEnumerable<object[]> ExpectedCases()
    {
        using FileStream stream = File.OpenRead(SharedData.Fixture("tokenizer_expected.json"));
        using JsonDocument document = JsonDocument.Parse(stream);
        foreach (JsonProperty family in document.RootElement.EnumerateObject())
            foreach (JsonElement example in family.Value.EnumerateArray())
                yield return
                [
                    family.Name,
                    example.GetProperty("text").GetString()!,
                    example.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray(),
                ];
    }

    public static string CaseName(MethodInfo method, object[] row) => $"{method.Name}({row[0]}, \"{row[1]}\")";

    [TestMethod]
    public void ExpectedCases_Fixture_CoversAllThreeFamilies()
    {
        var families = ExpectedCases().Select(row => (string)row[0]).Distinct().Order().ToArray();

        CollectionAssert.AreEqual(new[] { "bert-base-uncased", "roberta-base", "t5" }, families);
    }

    [TestMethod]
    [DynamicData(nameof(ExpectedCases), DynamicDataDisplayName = nameof(CaseName))]
    public void Encode_FixtureText_MatchesReferenceIds(string family, string text, int[] expected)
    {
        IReadOnlyList<int> actual = SharedTokenizers.ByName(family).Encode(text);

        CollectionAssert.AreEqual(expected, actual.ToArray(),
            $"{family} \"{text}\": expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    [TestMethod]
    [DynamicData(nameof(ExpectedCases), DynamicDataDisplayName = nameof(CaseName))]
    public void AddSpecialTokens_EncodedText_EqualsEncode(string family, string text, int[] expected)
    {
        var tokenizer = SharedTokenizers.ByName(family);

        IReadOnlyList<int> actual = tokenizer.AddSpecialTokens(tokenizer.EncodeText(text));

        CollectionAssert.AreEqual(expected, actual.ToArray(), $"{family} \"{text}\"");
    }
}
