using System.Text;

namespace AlgoSignal.Cli;

/// <summary>
/// The <c>--body</c> value: the JSON itself, <c>@path</c> for a file's bytes (one line or many), or
/// <c>-</c> for standard input. The bytes are sent and signed exactly as read.
/// </summary>
public static class BodySource
{
    public static async Task<byte[]> ReadAsync(string value, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case "-":
                using (var stdin = Console.OpenStandardInput())
                using (var buffer = new MemoryStream())
                {
                    await stdin.CopyToAsync(buffer, cancellationToken);
                    return buffer.ToArray();
                }

            case ['@']:
                throw new CliFailure("--body @ needs a file name, e.g. --body @message.json (or --body - for standard input).", CliFailure.Usage);
            case ['@', .. var path]:
                try
                {
                    return await File.ReadAllBytesAsync(path, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliFailure($"cannot read the body file \"{path}\": {Reason(ex)}", CliFailure.Usage);
                }

            default:
                return Encoding.UTF8.GetBytes(value);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file (paths are relative to the current directory " + Environment.CurrentDirectory + ")",
        UnauthorizedAccessException => "permission denied",
        _ => ex.Message,
    };
}
