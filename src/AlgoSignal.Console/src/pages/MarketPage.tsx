export function MarketPage() {
  return <p>…</p>;
}
