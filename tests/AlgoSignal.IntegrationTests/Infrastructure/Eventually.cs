namespace AlgoSignal.IntegrationTests.Infrastructure;

/// <summary>Waits for something the system does in the background.</summary>
public static class Eventually
{
    /// <summary>True as soon as <paramref name="condition"/> holds, false when <paramref name="timeout"/> passed without it.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (TimeProvider.System.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }

    public static Task<bool> HoldsAsync(Func<bool> condition, TimeSpan timeout) => HoldsAsync(() => Task.FromResult(condition()), timeout);
}
