namespace AlgoSignal.IntegrationTests.Readme;

/// <summary>The README's code blocks marked <c>&lt;!-- runnable --&gt;</c>, in order, as a user would paste them.</summary>
public static class ReadmeBlocks
{
    public const string Marker = "<!-- runnable -->";

    public static IReadOnlyList<string> Runnable(string markdown)
    {
        var blocks = new List<string>();
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != Marker)
            {
                continue;
            }

            var open = i + 1;
            while (open < lines.Length && lines[open].Trim().Length == 0)
            {
                open++;
            }

            if (open >= lines.Length || lines[open].Trim() != "```bash")
            {
                throw new InvalidOperationException($"README line {i + 1}: {Marker} must be followed by a ```bash block.");
            }

            var close = Array.FindIndex(lines, open + 1, l => l.Trim() == "```");
            if (close < 0)
            {
                throw new InvalidOperationException($"README line {open + 1}: the block is not closed.");
            }

            blocks.Add(string.Join('\n', lines[(open + 1)..close]));
            i = close;
        }

        return blocks;
    }
}
