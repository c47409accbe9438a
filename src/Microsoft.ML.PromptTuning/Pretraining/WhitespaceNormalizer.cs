namespace Microsoft.ML.PromptTuning.Pretraining;

/// <summary>Collapses every run of Unicode whitespace (tabs, line breaks, U+0085, no-break spaces …) to one space and trims.</summary>
internal static class WhitespaceNormalizer
{
    /// <summary>The normalised text; the same instance when it is already normal.</summary>
    public static string Normalize(string text)
    {
        if (IsNormal(text))
            return text;
        return string.Create(NormalizedLength(text), text, static (destination, source) =>
        {
            int written = 0;
            bool pendingSpace = false;
            foreach (char c in source)
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = written > 0;
                    continue;
                }
                if (pendingSpace)
                    destination[written++] = ' ';
                pendingSpace = false;
                destination[written++] = c;
            }
        });
    }

    private static bool IsNormal(string text)
    {
        if (text.Length == 0)
            return true;
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            return false;
        for (int i = 1; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) && (c != ' ' || text[i - 1] == ' '))
                return false;
        }
        return true;
    }

    private static int NormalizedLength(string text)
    {
        int length = 0;
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace)
                length++;
            pendingSpace = false;
            length++;
        }
        return length;
    }
}
