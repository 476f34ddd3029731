import type { QualityReport } from '../api/types';
import { Badge, Card, Empty } from '../components/ui';
import { pct, time } from '../format';

const DIMENSIONS = ['completeness', 'accuracy', 'consistency', 'timeliness', 'validity', 'uniqueness'] as const;

/** The series' quality: the score, each dimension as a meter, and the findings, each able to focus the chart on its bar. */
export function QualityCard({ report, score, onFocus }: { report: QualityReport; score: number | null; onFocus: (t: number) => void }) {
  return (
    <Card title="Quality report">
      <div className="quality-head">
        <span className="num quality-score">{score === null ? '—' : score.toFixed(3)}</span> <Badge status={report.level} />
      </div>
      <div className="quality-dims">
        {DIMENSIONS.map((d) => {
          const v = report[d];
          return (
            <div key={d} className="quality-dim">
              <div className="stat-label">{d}</div>
              <div className="num">{pct(v)}</div>
              <div className={`bar-meter ${v < 0.6 ? 'bad' : v < 0.8 ? 'warn' : ''}`}>
                <span className={`w-${Math.round(Math.max(0, Math.min(1, v)) * 20) * 5}`} />
              </div>
            </div>
          );
        })}
      </div>
      <div className="sub-title">Findings ({report.findings.length})</div>
      {report.findings.length === 0 ? (
        <Empty>No findings.</Empty>
      ) : (
        <table className="table compact" aria-label="Quality findings">
          <thead>
            <tr>
              <th>Dimension</th>
              <th>Rule</th>
              <th>Bar</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {report.findings.map((f, i) => (
              <tr key={i}>
                <td>{f.dimension}</td>
                <td>
                  <code>{f.rule}</code>
                </td>
                <td className="num nowrap">
                  {f.bar_time ? (
                    <button type="button" className="link-button" onClick={() => onFocus(Math.floor(Date.parse(f.bar_time!) / 1000))}>
                      {time(f.bar_time).slice(0, 16)}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{f.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
