export function StrategiesPage() {
  return <p>…</p>;
}
