namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>Random input for the fuzzing tests, reproducible from the <see cref="Random"/>'s seed.</summary>
internal static class Fuzz
{
    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="valid"/> with one to five characters replaced by random ones (control characters and NUL included).</summary>
    public static string Mutate(Random random, string valid)
    {
        var chars = valid.ToCharArray();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            chars[random.Next(chars.Length)] = (char)random.Next(0, 0x2FFF);
        }

        return new string(chars);
    }
}
