using Microsoft.ML.PromptTuning.Backbones;

namespace Microsoft.ML.PromptTuning.Tests.Backbones;

/// <summary>config.json validation: every bad configuration is rejected, before any tensor is allocated, naming the field.</summary>
[TestClass]
[TestCategory("Reliability")]
public sealed class ModelConfigTests
{
    [TestMethod]
    [DataRow("""{"model_type":"roberta","vocab_size":50265,"hidden_size":1000000000,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "hidden_size")]
    [DataRow("""{"model_type":"roberta","vocab_size":50265,"hidden_size":32,"num_attention_heads":4,"intermediate_size":64}""", "num_hidden_layers")]
    [DataRow("""{"model_type":"bert","vocab_size":30522,"hidden_size":30,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "num_attention_heads")]
    [DataRow("""{"model_type":"bert","vocab_size":"many","hidden_size":32,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "vocab_size")]
    [DataRow("""{"model_type":"t5","vocab_size":1024,"d_model":32,"d_kv":8,"d_ff":64,"num_layers":2,"num_heads":4,"feed_forward_proj":"swish"}""", "feed_forward_proj")]
    [DataRow("""{"model_type":"t5","vocab_size":4000000,"d_model":65536,"d_kv":8,"d_ff":64,"num_layers":2,"num_heads":4}""", "parameters")]
    [DataRow("""{"model_type":"gpt2"}""", "gpt2")]
    [DataRow("""{"model_type": """, "not valid JSON")]
    [DataRow("""[1, 2]""", "JSON object")]
    [DataRow("""{"model_type":"roberta","vocab_size":50265,"vocab_size":5,"hidden_size":32,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":64}""", "vocab_size")]
    public void Create_BadConfig_ThrowsNamingTheProblem(string json, string expectedInMessage)
    {
        string folder = Directory.CreateTempSubdirectory("config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), json);
            var error = Assert.Throws<Exception>(() => LanguageModelLoader.Create(folder));
            Assert.IsTrue(error is InvalidDataException or NotSupportedException, error.GetType().Name);
            StringAssert.Contains(error.Message, expectedInMessage);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [TestMethod]
    public void Create_MissingConfig_ThrowsFileNotFoundNamingIt()
    {
        string folder = Directory.CreateTempSubdirectory("config-").FullName;
        try
        {
            var error = Assert.ThrowsExactly<FileNotFoundException>(() => LanguageModelLoader.Create(folder));
            StringAssert.Contains(error.Message, "config.json");
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
