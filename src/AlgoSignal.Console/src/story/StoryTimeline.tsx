import { Link } from 'react-router';
import type { AlertStory } from '../api/types';
import { duration, time } from '../format';
import { RiskRules, SignalDetails, Sizing } from './DecisionDetails';
import { OrderStep } from './OrderStep';
import { ResultStep } from './ResultStep';
import { authenticationOf, buildTimeline, routeOf, type TimelineStep } from './timeline';

export { ruleValue } from './DecisionDetails';

function StepBody({ step, story }: { step: TimelineStep; story: AlertStory }) {
  switch (step.kind) {
    case 'received':
      return (
        <dl className="kv">
          <dt>Route</dt>
          <dd>
            <code>{routeOf(story)}</code>
          </dd>
          <dt>Source address</dt>
          <dd className="num">{story.source_ip ?? '—'}</dd>
          <dt>Source</dt>
          <dd>{story.source}</dd>
        </dl>
      );
    case 'authenticated':
      return <p>{authenticationOf(story)}</p>;
    case 'queued':
      return <p>Confirmed durable by RabbitMQ before the sender got its 202.</p>;
    case 'decided':
      return (
        <>
          {story.status === 'duplicate' && story.duplicate_of && (
            <p>
              A repeat of{' '}
              <Link to={`/alerts/${encodeURIComponent(story.duplicate_of)}`} aria-label="Open the original alert">
                {story.duplicate_of}
              </Link>
              ; nothing was placed.
            </p>
          )}
          {story.signal && <SignalDetails signal={story.signal} />}
          <RiskRules risk={story.risk} />
          <Sizing sizing={story.sizing ?? story.risk?.sizing} />
        </>
      );
    case 'order':
      return <OrderStep step={step} />;
    case 'result':
      return <ResultStep story={story} />;
  }
}

/** One alert's whole story: every step with its time, the time since receipt and since the step before. */
export function StoryTimeline({ story }: { story: AlertStory }) {
  const steps = buildTimeline(story);
  return (
    <ol className="timeline" aria-label="Alert timeline">
      {steps.map((step) => (
        <li key={step.key} className={`step step-${step.kind}`} data-step={step.kind}>
          <div className="step-marker" aria-hidden="true" />
          <div className="step-main">
            <div className="step-head">
              <h3>{step.title}</h3>
              <span className="num step-time" title={step.approximate ? 'no separate time recorded for this step; the nearest known time is shown' : undefined}>
                {time(step.at)}
                {step.approximate ? ' ≈' : ''}
              </span>
              <span className="num muted step-since">+{duration(step.sinceStartMs)}</span>
              {step.kind !== 'received' && <span className="num muted step-delta">(Δ {duration(step.sincePreviousMs)})</span>}
            </div>
            <StepBody step={step} story={story} />
          </div>
        </li>
      ))}
    </ol>
  );
}
