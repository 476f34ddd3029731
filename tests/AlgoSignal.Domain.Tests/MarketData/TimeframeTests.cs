using AlgoSignal.Domain.MarketData;
using Shouldly;

namespace AlgoSignal.Domain.Tests.MarketData;

public sealed class TimeframeTests
{
    [Theory]
    [InlineData("1h", "60")]
    [InlineData("60", "60")]
    [InlineData("15m", "15")]
    [InlineData("4h", "240")]
    [InlineData("1d", "1D")]
    [InlineData("1D", "1D")]
    [InlineData("1w", "1W")]
    [InlineData("1M", "1M")]
    [InlineData("45", "45")]
    public void TryParse_UserForm_TranslatesToProtocolCode(string input, string code)
    {
        Timeframe.TryParse(input, out var timeframe).ShouldBeTrue();
        timeframe.Code.ShouldBe(code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("1y")]
    [InlineData("90m")]
    [InlineData(null)]
    public void TryParse_Unknown_IsFalse(string? input) => Timeframe.TryParse(input, out _).ShouldBeFalse();

    [Fact]
    public void Accepted_AllParse() => Timeframe.Accepted.Where(t => !Timeframe.TryParse(t, out var _)).ShouldBeEmpty();
}
