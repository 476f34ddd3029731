import { useEffect } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useOverview } from '../api/queries';
import { useLive } from '../live';
import { useSignOut } from '../session';

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/alerts', 'Alerts'],
  ['/webhook-log', 'Webhook log'],
  ['/orders', 'Orders'],
  ['/positions', 'Positions'],
  ['/pnl', 'P&L'],
  ['/strategies', 'Strategies'],
  ['/market', 'Market'],
  ['/health', 'Health'],
];

function LiveIndicator() {
  const { state } = useLive();
  const text = state === 'live' ? 'live' : state === 'connecting' ? 'connecting' : 'reconnecting';
  return (
    <span className={`live-indicator live-${state}`} role="status" aria-label={`Live updates: ${text}`} title="Live updates from /api/v1/stream">
      <span className="dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Paper or live, on every page: live trading gets a red banner and a distinct theme. */
export function ModeBanner() {
  const overview = useOverview();
  const mode = overview.data?.mode;
  useEffect(() => {
    document.documentElement.classList.toggle('theme-live', mode === 'live');
  }, [mode]);
  if (!mode) return null;
  const kill = overview.data?.kill_switch;
  return (
    <>
      <div className={`mode-banner mode-${mode}`} role="region" aria-label="Trading mode">
        {mode === 'live' ? (
          <>
            <strong>LIVE TRADING</strong> — orders go to real brokers with real money
            {overview.data?.live_strategies?.length ? <> · live strategies: {overview.data.live_strategies.join(', ')}</> : null}
          </>
        ) : (
          <>
            <strong>PAPER TRADING</strong> — no order reaches a real broker
          </>
        )}
      </div>
      {kill?.active && (
        <div className="kill-banner" role="alert">
          Kill switch engaged{kill.reason ? <>: {kill.reason}</> : null} — no new orders are placed.
        </div>
      )}
    </>
  );
}

export function Layout() {
  const signOut = useSignOut();
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          AlgoSignal
        </div>
        <nav aria-label="Main">
          {NAV.map(([to, label]) => (
            <NavLink key={to} to={to} end={to === '/'} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-right">
          <LiveIndicator />
          <button type="button" className="small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <ModeBanner />
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
