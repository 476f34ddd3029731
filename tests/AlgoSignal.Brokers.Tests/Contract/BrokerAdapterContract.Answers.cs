using AlgoSignal.Brokers;
using AlgoSignal.Brokers.Tests.Fakes;
using Shouldly;

namespace AlgoSignal.Brokers.Tests;

/// <summary>The broker's awkward answers — odd bodies, errors, busy, silence, a stale session — still leave exactly one order.</summary>
public abstract partial class BrokerAdapterContract
{
    [Fact]
    public async Task Should_settle_a_non_json_200_answer_without_throwing_and_place_once()
    {
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(200, "text/plain", "OK"));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBeOneOf(PlaceOutcome.Unknown, PlaceOutcome.Accepted);

        // What the pipeline does next: ask by client order id, then place only if the broker never saw it.
        if (placed.Outcome == PlaceOutcome.Unknown && await Adapter.GetOrderAsync(order, CancellationToken.None) is null)
        {
            (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        }

        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_settle_a_json_answer_in_an_unexpected_shape_as_unknown_and_place_once()
    {
        // Valid JSON, but no broker answers an order with a list of strings: the transport classifies it, nothing throws.
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(200, "application/json", """["unexpected", "shape"]"""));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Unknown, placed.Message);
        placed.Message.ShouldNotBeNull().ShouldContain("expected JSON");

        if (await Adapter.GetOrderAsync(order, CancellationToken.None) is null)
        {
            (await Adapter.PlaceAsync(order, CancellationToken.None)).Outcome.ShouldBe(PlaceOutcome.Accepted);
        }

        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_retry_past_an_html_error_page_and_place_once()
    {
        var order = Order();
        AnswerNextPlacementWith(new CannedAnswer(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"));
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_treat_a_repeated_client_order_id_as_already_placed()
    {
        var order = Order();
        var first = await Adapter.PlaceAsync(order, CancellationToken.None);
        var second = await Adapter.PlaceAsync(order, CancellationToken.None);
        second.Outcome.ShouldBe(PlaceOutcome.Accepted);
        second.BrokerOrderId.ShouldBe(first.BrokerOrderId);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_leave_exactly_one_order_when_the_answer_times_out_after_it_landed()
    {
        var order = Order();
        HangNextPlacement();
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Unknown);

        // What the pipeline does with Unknown: ask by client id before any retry.
        var found = await Adapter.GetOrderAsync(order, CancellationToken.None);
        found.ShouldNotBeNull();
        var retried = await Adapter.PlaceAsync(order, CancellationToken.None);
        retried.Outcome.ShouldBe(PlaceOutcome.Accepted);
        retried.BrokerOrderId.ShouldBe(found.BrokerOrderId);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Should_back_off_and_retry_when_the_broker_is_busy(int status)
    {
        var order = Order();
        var before = PlacementAttempts();
        FailNext(2, status);
        var placed = await Adapter.PlaceAsync(order, CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
        (PlacementAttempts() - before).ShouldBe(3);
        OrdersAtBroker(order.ClientOrderId).ShouldBe(1);
    }

    [Fact]
    public async Task Should_recover_when_the_session_expires()
    {
        await ExpireSessionAsync();
        var placed = await Adapter.PlaceAsync(Order(), CancellationToken.None);
        placed.Outcome.ShouldBe(PlaceOutcome.Accepted, placed.Message);
    }
}
