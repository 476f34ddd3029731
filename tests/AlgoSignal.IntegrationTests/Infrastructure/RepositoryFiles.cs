namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>Paths inside the repository the tests run from: the root, the scripts, the built command line.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The <c>algosignal</c> dll built with the same configuration as the tests (the test project builds it).</summary>
    public static string CliDll
    {
        get
        {
            // AppContext.BaseDirectory is …/bin/<Configuration>/<framework>/.
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var dll = Path("src", "AlgoSignal.Cli", "bin", framework.Parent!.Name, framework.Name, "algosignal.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the command line is missing.", dll);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AlgoSignal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AlgoSignal.sln not found above " + AppContext.BaseDirectory);
    }
}
