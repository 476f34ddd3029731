export function StrategyPage() {
  return <p>…</p>;
}
