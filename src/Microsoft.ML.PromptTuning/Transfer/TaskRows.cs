using Microsoft.ML.Data;
using Microsoft.ML.PromptTuning.MLNet;
using Microsoft.ML.PromptTuning.Prompts;
using Microsoft.ML.PromptTuning.Tasks;
using Microsoft.ML.PromptTuning.Training;

namespace Microsoft.ML.PromptTuning.Transfer;

/// <summary>A split of a task as labelled rows for one template: placeholder texts and the label's index in the task's label words.</summary>
internal static class TaskRows
{
    /// <summary>The rows of <paramref name="split"/>, at most <paramref name="maxRows"/> of them (a seeded sample kept in file order).</summary>
    public static List<PromptExample> Read(PromptTask task, TaskSplit split, PromptTemplate template, int? maxRows, int seed)
    {
        if (!task.HasSplit(split))
            throw new ArgumentException($"Task '{task.Name}' has no {split} split (it has {string.Join(", ", task.Splits)}); transfer needs one.");
        var table = task.Load(split);
        var columns = task.TextColumns.Select(c => table.GetColumn<ReadOnlyMemory<char>>(c).Select(t => t.ToString()).ToArray()).ToArray();
        var labels = table.GetColumn<ReadOnlyMemory<char>>(PromptTask.LabelColumn).Select(l => l.ToString()).ToArray();
        var binding = new TextColumnBinding(template, task.TextColumns);
        var rows = new List<PromptExample>();
        foreach (int i in Sample(labels.Length, maxRows, seed))
        {
            int label = task.LabelWords.Labels.Contains(labels[i]) ? task.LabelWords.IndexOf(labels[i])
                : throw new InvalidDataException($"Task '{task.Name}' {split} row {i} has label '{labels[i]}', which has no label words ({string.Join(", ", task.LabelWords.Labels)}).");
            rows.Add(new PromptExample(binding.Row(columns.Select(c => (string?)c[i]).ToArray()), label));
        }
        if (rows.Count == 0)
            throw new ArgumentException($"Task '{task.Name}' has an empty {split} split.");
        return rows;
    }

    private static IEnumerable<int> Sample(int count, int? maxRows, int seed)
    {
        if (maxRows is not int max || max >= count)
            return Enumerable.Range(0, count);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order.Take(max).Order();
    }
}
