export function PnlPage() {
  return <p>…</p>;
}
