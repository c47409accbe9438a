using Microsoft.ML.PromptTuning.Backbones;
using Microsoft.ML.PromptTuning.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Checkpoints;

/// <summary>Name mapping of checkpoints onto modules: prefixes, legacy names, tied and unused keys, and the errors.</summary>
[TestClass]
public sealed class StateDictLoaderTests
{
    private static readonly string Fixture = SharedData.Fixture("roberta-tiny");

    [TestMethod]
    public void Load_SafeTensorsFixture_ReportsPoolerAsUnusedAndNotTiedKeys()
    {
        using var model = LanguageModelLoader.Create(Fixture);
        using var reader = CheckpointFiles.OpenWeights(Fixture);
        var report = StateDictLoader.Load(model, reader, Fixture);
        Assert.AreEqual(model.parameters().Count(), report.LoadedCount);
        CollectionAssert.AreEquivalent(new[] { "roberta.pooler.dense.bias", "roberta.pooler.dense.weight" }, report.UnusedKeys.ToArray());
    }

    [TestMethod]
    public void Load_KeysWithoutPrefixAndLegacyGammaBeta_LoadsTheSameWeights()
    {
        string folder = Rewrite(name => name.StartsWith("roberta.", StringComparison.Ordinal) ? name["roberta.".Length..] : name,
            legacyNames: true);
        try
        {
            using var scope = NewDisposeScope();
            using var renamed = (MaskedLanguageModel)LanguageModelLoader.Load(folder);
            using var original = (MaskedLanguageModel)LanguageModelLoader.Load(Fixture);
            foreach (var ((name, a), (_, b)) in renamed.named_parameters().Zip(original.named_parameters()))
                Assert.IsTrue(a.allclose(b, rtol: 0, atol: 0), name);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [DataRow("roberta-tiny", "roberta.embeddings.word_embeddings.weight", "lm_head.decoder.weight")]
    [DataRow("roberta-tiny", "lm_head.bias", "lm_head.decoder.bias")]
    [DataRow("t5-tiny-random", "shared.weight", "encoder.embed_tokens.weight")]
    [DataRow("t5-tiny-random", "shared.weight", "decoder.embed_tokens.weight")]
    public void Load_TiedWeightOnlyUnderItsCopysName_LoadsTheSameWeights(string fixture, string parameter, string copy)
    {
        // Safetensors' duplicate removal may keep only one name of a tied matrix, and not always the module's own.
        string folder = Rewrite(name => name == parameter ? copy : name, fixture: fixture);
        try
        {
            using var scope = NewDisposeScope();
            using var renamed = LanguageModelLoader.Load(folder);
            using var original = LanguageModelLoader.Load(SharedData.Fixture(fixture));
            foreach (var ((name, a), (_, b)) in renamed.named_parameters().Zip(original.named_parameters()))
                Assert.IsTrue(a.allclose(b, rtol: 0, atol: 0), name);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_MissingKey_ThrowsNamingIt()
    {
        string folder = Rewrite(name => name == "roberta.encoder.layer.1.output.dense.weight" ? null : name);
        try
        {
            var error = Assert.ThrowsExactly<CheckpointFormatException>(() => LanguageModelLoader.Load(folder));
            StringAssert.Contains(error.Message, "roberta.encoder.layer.1.output.dense.weight");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_ShapeMismatch_ThrowsNamingKeyAndBothShapes()
    {
        string folder = Rewrite(name => name, reshape: "roberta.embeddings.LayerNorm.weight");
        try
        {
            var error = Assert.ThrowsExactly<CheckpointFormatException>(() => LanguageModelLoader.Load(folder));
            StringAssert.Contains(error.Message, "roberta.embeddings.LayerNorm.weight");
            StringAssert.Contains(error.Message, "[16]");
            StringAssert.Contains(error.Message, "[32]");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>Copies a fixture (roberta-tiny unless named) with keys renamed (null drops a key), optionally TF-era gamma/beta names and one tensor halved.</summary>
    private static string Rewrite(Func<string, string?> rename, bool legacyNames = false, string? reshape = null, string fixture = "roberta-tiny")
    {
        string source = SharedData.Fixture(fixture);
        string folder = Directory.CreateTempSubdirectory("state-dict-").FullName;
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(folder, "config.json"));
        using var scope = NewDisposeScope();
        using var reader = CheckpointFiles.OpenWeights(source);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (string name in reader.Names)
        {
            string? renamed = rename(name);
            if (renamed is null)
                continue;
            if (legacyNames && renamed.Contains("LayerNorm", StringComparison.Ordinal))
                renamed = renamed.Replace(".weight", ".gamma").Replace(".bias", ".beta");
            var value = reader.Read(name);
            tensors.Add(new(renamed, name == reshape ? value[..16] : value));
        }
        SafeTensors.Save(Path.Combine(folder, "model.safetensors"), tensors);
        return folder;
    }
}
