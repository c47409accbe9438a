using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.Tasks;

namespace Microsoft.ML.PromptTuning.Tests.MLNet;

/// <summary>
/// Tampers with a saved model zip the way an attacker or a careless edit would: finds the ML.NET binary data view inside the
/// zip that stores the soft-prompt state (the <c>ValueMapping</c>'s table), rewrites that JSON and puts the table back,
/// leaving every other entry byte-identical.
/// </summary>
internal static class SavedModelStateEditor
{
    /// <summary>Applies <paramref name="edit"/> to the stored state of the model at <paramref name="zipPath"/>; fails if there is none.</summary>
    public static void Edit(string zipPath, Action<JsonObject> edit)
    {
        var context = new MLContext(seed: 1);
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        foreach (ZipArchiveEntry entry in zip.Entries.Where(e => e.FullName.EndsWith(".idv", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            string table = Path.GetTempFileName();
            try
            {
                entry.ExtractToFile(table, overwrite: true);
                var view = context.Data.LoadFromBinary(table);
                if (view.Schema.Any(c => c.Type is not TextDataViewType))
                    continue;
                List<string?[]> rows = ReadRows(view);
                if (!rows.Any(row => row.Any(cell => cell?.Contains("\"PromptSha256\"", StringComparison.Ordinal) == true)))
                    continue;
                foreach (string?[] row in rows)
                {
                    for (int i = 0; i < row.Length; i++)
                    {
                        if (row[i]?.Contains("\"PromptSha256\"", StringComparison.Ordinal) != true)
                            continue;
                        var state = JsonNode.Parse(row[i]!)!.AsObject();
                        edit(state);
                        row[i] = state.ToJsonString();
                    }
                }
                string name = entry.FullName;
                entry.Delete();
                using var output = zip.CreateEntry(name).Open();
                context.Data.SaveAsBinary(new TextTable(view.Schema.Select(c => c.Name).ToList(), rows), output);
                return;
            }
            finally
            {
                File.Delete(table);
            }
        }
        Assert.Fail($"{zipPath} holds no soft-prompt state.");
    }

    private static List<string?[]> ReadRows(IDataView view)
    {
        var rows = new List<string?[]>();
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(c)).ToArray();
        while (cursor.MoveNext())
        {
            var row = new string?[getters.Length];
            for (int i = 0; i < getters.Length; i++)
            {
                ReadOnlyMemory<char> value = default;
                getters[i](ref value);
                row[i] = value.ToString();
            }
            rows.Add(row);
        }
        return rows;
    }
}
