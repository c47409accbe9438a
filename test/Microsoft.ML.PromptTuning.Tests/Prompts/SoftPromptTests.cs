using System.Text.Json.Nodes;
using Microsoft.ML.PromptTuning.Checkpoints;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.PromptTuning.Tests.Prompts;

[TestClass]
public sealed class SoftPromptTests
{
    private static readonly BackboneInfo Roberta = new("../shared/fixtures/roberta-tiny", "roberta", 32, LayerCount: 2, AttentionHeadCount: 4);
    private static readonly BackboneInfo T5 = new("t5-tiny-random", "t5", 32, LayerCount: 2, AttentionHeadCount: 4);

    [TestMethod]
    public void SaveLoad_FullMetadata_RoundTripsTensorAndMetadata()
    {
        using var folder = new TempFolder();
        using SoftPrompt prompt = Sample(Roberta, PromptTemplate.MaskedLmDefault(5));

        prompt.Save(folder.File("sst2.safetensors"));
        using SoftPrompt loaded = SoftPrompt.Load(folder.File("sst2.safetensors"));

        TensorAssert.AreEqual(prompt.Embeddings, loaded.Embeddings);
        Assert.AreEqual(prompt.Backbone, loaded.Backbone);
        Assert.AreEqual(prompt.Template!.ToString(), loaded.Template!.ToString());
        CollectionAssert.AreEqual(prompt.LabelWords!.Labels.ToArray(), loaded.LabelWords!.Labels.ToArray());
        CollectionAssert.AreEqual(new[] { "negative" }, loaded.LabelWords["0"].ToArray());
        CollectionAssert.AreEqual(prompt.TrainingSummary.ToArray(), loaded.TrainingSummary.ToArray());
    }

    [TestMethod]
    public void Save_File_HoldsPromptEmbeddingsAndJsonMetadata()
    {
        using var folder = new TempFolder();
        using SoftPrompt prompt = Sample(Roberta, PromptTemplate.MaskedLmDefault(5));

        prompt.Save(folder.File("p.safetensors"));

        using SafeTensorsReader reader = SafeTensors.Open(folder.File("p.safetensors"));
        CollectionAssert.AreEqual(new[] { "prompt_embeddings" }, reader.Names.ToArray());
        CollectionAssert.AreEqual(new long[] { 5, 32 }, reader.GetInfo("prompt_embeddings").Shape);
        Assert.AreEqual("pt", reader.Metadata["format"]);
        JsonObject metadata = JsonNode.Parse(reader.Metadata["soft_prompt"])!.AsObject();
        Assert.AreEqual("roberta", (string?)metadata["backbone"]!["model_type"]);
        Assert.AreEqual("{soft:5}{mask}{text_a}{text_b?}", (string?)metadata["template"]);
        Assert.AreEqual("sst2", (string?)metadata["training"]!["task"]);
        Assert.IsFalse(Directory.EnumerateFiles(folder.Path, "*.tmp").Any(), "the atomic write leaves no temporary file");
    }

    [TestMethod]
    public void SaveLoad_MinimalPrompt_KeepsNullsAndEmptySummary()
    {
        using var folder = new TempFolder();
        using var prompt = new SoftPrompt(randn(3, 8), new BackboneInfo("", null, 8));

        prompt.Save(folder.File("bare.safetensors"));
        using SoftPrompt loaded = SoftPrompt.Load(folder.File("bare.safetensors"));

        Assert.AreEqual(new BackboneInfo("", null, 8), loaded.Backbone);
        Assert.IsNull(loaded.Template);
        Assert.IsNull(loaded.LabelWords);
        Assert.AreEqual(0, loaded.TrainingSummary.Count);
    }

    [TestMethod]
    [DataRow("roberta", "SEQ_CLS")]
    [DataRow("t5", "SEQ_2_SEQ_LM")]
    public void ExportPeft_Prompt_WritesConfigAsPeftDoes(string modelType, string taskType)
    {
        using var folder = new TempFolder();
        using SoftPrompt prompt = Sample(modelType == "t5" ? T5 : Roberta, modelType == "t5" ? PromptTemplate.Seq2SeqDefault(5) : PromptTemplate.MaskedLmDefault(5));

        prompt.ExportPeft(Path.Combine(folder.Path, "adapter"));

        string configText = File.ReadAllText(Path.Combine(folder.Path, "adapter", "adapter_config.json"));
        JsonObject config = JsonNode.Parse(configText)!.AsObject();
        Assert.AreEqual("PROMPT_TUNING", (string?)config["peft_type"]);
        Assert.AreEqual(taskType, (string?)config["task_type"]);
        Assert.AreEqual(5, (int)config["num_virtual_tokens"]!);
        Assert.AreEqual(32, (int)config["token_dim"]!);
        Assert.AreEqual(1, (int)config["num_transformer_submodules"]!);
        Assert.AreEqual(4, (int)config["num_attention_heads"]!);
        Assert.AreEqual(2, (int)config["num_layers"]!);
        Assert.AreEqual("RANDOM", (string?)config["prompt_tuning_init"]);
        Assert.AreEqual(prompt.Backbone.NameOrPath, (string?)config["base_model_name_or_path"]);
        Assert.IsTrue((bool)config["inference_mode"]!);
        CollectionAssert.AreEqual(config.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray(), config.Select(p => p.Key).ToArray(), "keys sorted as json.dumps(sort_keys=True)");
        StringAssert.StartsWith(configText, "{\n  \"auto_mapping\": null,");
    }

    [TestMethod]
    public void ExportPeft_Prompt_WritesAdapterModelWithOnlyPromptEmbeddings()
    {
        using var folder = new TempFolder();
        using SoftPrompt prompt = Sample(Roberta, PromptTemplate.MaskedLmDefault(5));

        prompt.ExportPeft(folder.Path);

        using SafeTensorsReader reader = SafeTensors.Open(Path.Combine(folder.Path, "adapter_model.safetensors"));
        CollectionAssert.AreEqual(new[] { "prompt_embeddings" }, reader.Names.ToArray());
        Assert.AreEqual(TensorDType.F32, reader.GetInfo("prompt_embeddings").DType);
        Assert.AreEqual("pt", reader.Metadata["format"]);
        using Tensor stored = reader.Read("prompt_embeddings");
        TensorAssert.AreEqual(prompt.Embeddings, stored);
    }

    [TestMethod]
    public void ExportImportPeft_Prompt_RoundTripsTensorAndMetadata()
    {
        using var folder = new TempFolder();
        using SoftPrompt prompt = Sample(T5, PromptTemplate.Seq2SeqDefault(5));

        prompt.ExportPeft(folder.Path);
        using SoftPrompt imported = SoftPrompt.ImportPeft(folder.Path);

        TensorAssert.AreEqual(prompt.Embeddings, imported.Embeddings);
        Assert.AreEqual(prompt.Backbone, imported.Backbone);
        Assert.AreEqual(prompt.Template!.ToString(), imported.Template!.ToString());
        Assert.AreEqual("sst2", imported.TrainingSummary["task"]);
    }

    [TestMethod]
    public void ImportPeft_ForeignSafeTensorsAdapter_ReadsBackboneFromConfig()
    {
        using var folder = new TempFolder();
        using Tensor embeddings = randn(3, 8);
        WriteConfig(folder.Path, """{"peft_type": "PROMPT_TUNING", "task_type": "SEQ_2_SEQ_LM", "num_virtual_tokens": 3, "token_dim": 8, "num_layers": 6, "num_attention_heads": 2, "base_model_name_or_path": "t5-small", "num_transformer_submodules": 1}""");
        SafeTensors.Save(Path.Combine(folder.Path, "adapter_model.safetensors"), [new("prompt_embeddings", embeddings)]);

        using SoftPrompt imported = SoftPrompt.ImportPeft(folder.Path);

        Assert.AreEqual(new BackboneInfo("t5-small", "t5", 8, 6, 2), imported.Backbone);
        TensorAssert.AreEqual(embeddings, imported.Embeddings);
        Assert.IsNull(imported.Template);
    }

    [TestMethod]
    public void ImportPeft_PickledAdapterModelBin_ReadsPromptEmbeddings()
    {
        using var folder = new TempFolder();
        WriteConfig(folder.Path, """{"peft_type": "PROMPT_TUNING", "task_type": "SEQ_CLS", "num_virtual_tokens": 2, "token_dim": 3}""");
        byte[] pickle = new PickleBuilder().Proto().EmptyDict().Mark()
            .Unicode("prompt_embeddings").Tensor("FloatStorage", "0", 6, 0, [2, 3], [3, 1])
            .SetItems().Stop().ToArray();
        new TorchZipBuilder("adapter_model").Pickle(pickle).Storage("0", new float[] { 0, 1, 2, 3, 4, 5 }).Save(Path.Combine(folder.Path, "adapter_model.bin"));

        using SoftPrompt imported = SoftPrompt.ImportPeft(folder.Path);

        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3, 4, 5 }, imported.Embeddings.data<float>().ToArray());
        Assert.IsNull(imported.Backbone.ModelType);
    }

    [TestMethod]
    [DataRow("""{"peft_type": "LORA", "num_virtual_tokens": 3, "token_dim": 8}""", "only PROMPT_TUNING")]
    [DataRow("""{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 3, "token_dim": 16}""", "token_dim 16")]
    [DataRow("""{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 4, "token_dim": 8}""", "num_virtual_tokens 4")]
    [DataRow("""{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 3, "token_dim": 8, "num_transformer_submodules": 2}""", "decoder")]
    [DataRow("""{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": -3, "token_dim": 8}""", "not a positive integer")]
    [DataRow("""{"peft_type": "PROMPT_TUNING", "token_dim": 8}""", "'num_virtual_tokens' is missing")]
    [DataRow("""{"num_virtual_tokens": 3, "token_dim": 8}""", "'peft_type' is missing")]
    [DataRow("""not json""", "not valid JSON")]
    [TestCategory("Reliability")]
    public void ImportPeft_InvalidConfig_ThrowsCheckpointFormatException(string config, string problem)
    {
        using var folder = new TempFolder();
        using Tensor embeddings = randn(3, 8);
        WriteConfig(folder.Path, config);
        SafeTensors.Save(Path.Combine(folder.Path, "adapter_model.safetensors"), [new("prompt_embeddings", embeddings)]);

        var error = Assert.ThrowsExactly<CheckpointFormatException>(() => SoftPrompt.ImportPeft(folder.Path));

        StringAssert.Contains(error.Message, problem);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void ImportPeft_MissingFiles_ThrowNamingThem()
    {
        using var folder = new TempFolder();

        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => SoftPrompt.ImportPeft(folder.Path)).Message, "adapter_config.json");
        WriteConfig(folder.Path, """{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 3, "token_dim": 8}""");
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => SoftPrompt.ImportPeft(folder.Path)).Message, "adapter_model.safetensors");
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => SoftPrompt.ImportPeft(Path.Combine(folder.Path, "absent")));
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void ImportPeft_NaNInAdapter_ThrowsCheckpointFormatException()
    {
        using var folder = new TempFolder();
        using Tensor embeddings = randn(3, 8);
        embeddings[1, 2] = tensor(float.NaN);
        WriteConfig(folder.Path, """{"peft_type": "PROMPT_TUNING", "num_virtual_tokens": 3, "token_dim": 8}""");
        SafeTensors.Save(Path.Combine(folder.Path, "adapter_model.safetensors"), [new("prompt_embeddings", embeddings)]);

        StringAssert.Contains(Assert.ThrowsExactly<CheckpointFormatException>(() => SoftPrompt.ImportPeft(folder.Path)).Message, "NaN");
    }

    [TestMethod]
    public void ExportPeft_TemplateWithSoftTokensAfterText_ThrowsInvalidOperation()
    {
        using var folder = new TempFolder();
        using var prompt = new SoftPrompt(randn(3, 32), Roberta, PromptTemplate.Parse("{text_a} {soft:3} {mask}"));

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => prompt.ExportPeft(folder.Path));

        StringAssert.Contains(error.Message, "only prepend");
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    [TestCategory("Reliability")]
    public void Constructor_NonFiniteValue_ThrowsArgumentException(float bad)
    {
        using Tensor embeddings = randn(3, 32);
        embeddings[2, 5] = tensor(bad);

        var error = Assert.ThrowsExactly<ArgumentException>(() => new SoftPrompt(embeddings, Roberta));

        StringAssert.Contains(error.Message, "NaN or infinite");
    }

    [TestMethod]
    public void Constructor_WrongRankWidthOrTemplateLength_ThrowsNamingTheMismatch()
    {
        using Tensor vector = randn(32);
        using Tensor cube = randn(2, 3, 32);
        using Tensor narrow = randn(3, 16);
        using Tensor three = randn(3, 32);

        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPrompt(vector, Roberta)).Message, "[tokens, hidden]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPrompt(cube, Roberta)).Message, "[2, 3, 32]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPrompt(narrow, Roberta)).Message, "16 wide");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SoftPrompt(three, Roberta, PromptTemplate.MaskedLmDefault(5))).Message, "5 soft tokens");
    }

    [TestMethod]
    public void EnsureCompatibleWith_BackboneOfOtherWidth_Throws()
    {
        using var model = Backbones.FixtureModels.Load("bert-tiny-random", "model.safetensors");
        using var wide = new SoftPrompt(randn(2, 64), new BackboneInfo("bert-base", "bert", 64));
        using var fitting = new SoftPrompt(randn(2, 32), BackboneInfo.FromModel(model, "bert-tiny-random"));

        var error = Assert.ThrowsExactly<ArgumentException>(() => wide.EnsureCompatibleWith(model));

        StringAssert.Contains(error.Message, "64 wide");
        StringAssert.Contains(error.Message, "hidden size is 32");
        fitting.EnsureCompatibleWith(model);
        Assert.AreEqual(new BackboneInfo("bert-tiny-random", "bert", 32, 2, 4), fitting.Backbone);
    }

    [TestMethod]
    [TestCategory("Reliability")]
    public void Load_MissingOrForeignFiles_ThrowClearErrors()
    {
        using var folder = new TempFolder();
        using Tensor cube = randn(2, 3, 4);
        using Tensor plain = randn(3, 4);
        SafeTensors.Save(folder.File("plain.safetensors"), [new("prompt_embeddings", plain)]);
        SafeTensors.Save(folder.File("cube.safetensors"), [new("prompt_embeddings", cube)],
            new Dictionary<string, string> { ["soft_prompt"] = """{"version": 1, "backbone": {"hidden_size": 4}}""" });
        SafeTensors.Save(folder.File("bad-json.safetensors"), [new("prompt_embeddings", plain)],
            new Dictionary<string, string> { ["soft_prompt"] = """{"version": 1, "backbone": {"hidden_size": 5}}""" });

        Assert.ThrowsExactly<FileNotFoundException>(() => SoftPrompt.Load(folder.File("absent.safetensors")));
        StringAssert.Contains(Assert.ThrowsExactly<CheckpointFormatException>(() => SoftPrompt.Load(folder.File("plain.safetensors"))).Message, "ImportPeft");
        StringAssert.Contains(Assert.ThrowsExactly<CheckpointFormatException>(() => SoftPrompt.Load(folder.File("cube.safetensors"))).Message, "[2, 3, 4]");
        StringAssert.Contains(Assert.ThrowsExactly<CheckpointFormatException>(() => SoftPrompt.Load(folder.File("bad-json.safetensors"))).Message, "hidden size is 5");
    }

    [TestMethod]
    public void Constructor_InsideCallersDisposeScope_OwnsATensorThatOutlivesTheScope()
    {
        SoftPrompt prompt;
        using (NewDisposeScope())
        {
            Tensor source = ones(2, 32);
            prompt = new SoftPrompt(source, Roberta);
            source.add_(1);
        }

        using (prompt)
            Assert.AreEqual(64f, prompt.Embeddings.sum().item<float>(), "a copy, alive after the scope and unchanged by the source");
    }

    [TestMethod]
    public void Embeddings_AfterDispose_ThrowsObjectDisposed()
    {
        var prompt = new SoftPrompt(randn(2, 32), Roberta);
        prompt.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => prompt.Embeddings);
    }

    [TestMethod]
    public void ToDevice_RequiresGrad_GivesIndependentTrainableCopy()
    {
        using SoftPrompt prompt = Sample(Roberta, null);

        using Tensor trainable = prompt.ToDevice(CPU, requiresGrad: true);

        Assert.IsTrue(trainable.requires_grad);
        Assert.IsTrue(PromptTensors.Same(trainable, prompt.Embeddings));
        using (no_grad())
            trainable.add_(1);
        Assert.IsFalse(PromptTensors.Same(trainable, prompt.Embeddings));
    }

    private static SoftPrompt Sample(BackboneInfo backbone, PromptTemplate? template)
    {
        using Tensor embeddings = randn(template?.SoftTokenCount ?? 5, backbone.HiddenSize);
        return new SoftPrompt(embeddings, backbone, template, LabelWords.SentimentBinary(),
            new Dictionary<string, string> { ["task"] = "sst2", ["epochs"] = "3", ["accuracy"] = "0.91" });
    }

    private static void WriteConfig(string folder, string json) => File.WriteAllText(Path.Combine(folder, "adapter_config.json"), json);
}
