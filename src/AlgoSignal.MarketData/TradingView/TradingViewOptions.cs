using System.ComponentModel.DataAnnotations;

namespace AlgoSignal.MarketData.TradingView;

/// <summary><c>MarketData:TradingView:*</c>; also read from <c>TV_USERNAME</c>, <c>TV_PASSWORD</c>, <c>TV_SESSION</c>, <c>TV_USER_ID</c>.</summary>
public sealed class TradingViewOptions
{
    public const string Section = "MarketData:TradingView";

    /// <summary>False switches TradingView off: routes that need it answer 503 naming this setting.</summary>
    public bool Enabled { get; set; } = true;

    [Required(ErrorMessage = "MarketData:TradingView:WebSocketUrl is required.")]
    public string WebSocketUrl { get; set; } = "wss://data.tradingview.com/socket.io/websocket";

    public string SignInUrl { get; set; } = "https://www.tradingview.com/accounts/signin/";

    /// <summary>A page whose HTML carries the user's <c>auth_token</c> when the session cookie is sent.</summary>
    public string SessionTokenUrl { get; set; } = "https://www.tradingview.com/";

    public string SymbolSearchUrl { get; set; } = "https://symbol-search.tradingview.com/symbol_search/v3/";

    public string Origin { get; set; } = "https://www.tradingview.com";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? SessionId { get; set; }

    public string? UserId { get; set; }

    /// <summary>How long one attempt may wait for the history to complete.</summary>
    [Range(1, 600, ErrorMessage = "MarketData:TradingView:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>Attempts for timeouts and dropped connections (errors the server names are not retried).</summary>
    [Range(1, 10, ErrorMessage = "MarketData:TradingView:MaxAttempts must be between 1 and 10.")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Bars one series request asks for; more are paged with request_more_data.</summary>
    [Range(10, 20_000, ErrorMessage = "MarketData:TradingView:PageSize must be between 10 and 20000.")]
    public int PageSize { get; set; } = 5_000;

    /// <summary>Largest <c>n_bars</c> a caller may ask for.</summary>
    [Range(1, 100_000, ErrorMessage = "MarketData:TradingView:MaxBars must be between 1 and 100000.")]
    public int MaxBars { get; set; } = 20_000;

    public bool HasLogin => !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(SessionId);
}
