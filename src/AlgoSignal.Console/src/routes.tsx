import { createBrowserRouter, Outlet } from 'react-router';
import { Layout } from './components/Layout';
import { LiveProvider } from './live';
import { AlertsPage } from './pages/AlertsPage';
import { AlertStoryPage } from './pages/AlertStoryPage';
import { HealthPage } from './pages/HealthPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrdersPage } from './pages/OrdersPage';
import { OverviewPage } from './pages/OverviewPage';
import { PositionsPage } from './pages/PositionsPage';
import { RouteError } from './pages/RouteError';
import { SignInPage } from './pages/SignInPage';
import { StrategiesPage } from './pages/StrategiesPage';
import { StrategyPage } from './pages/StrategyPage';
import { WebhookLogPage } from './pages/WebhookLogPage';
import { RequireSession } from './session';

function SignedIn() {
  return (
    <RequireSession>
      <LiveProvider>
        <Outlet />
      </LiveProvider>
    </RequireSession>
  );
}

export const router = createBrowserRouter([
  { path: '/signin', element: <SignInPage /> },
  {
    element: <SignedIn />,
    children: [
      {
        element: <Layout />,
        children: [
          {
            // A page that throws shows its error inside the frame; the navigation stays usable.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <OverviewPage /> },
              { path: 'alerts', element: <AlertsPage /> },
              { path: 'alerts/:alertId', element: <AlertStoryPage /> },
              { path: 'webhook-log', element: <WebhookLogPage /> },
              { path: 'orders', element: <OrdersPage /> },
              { path: 'positions', element: <PositionsPage /> },
              // The chart pages load lightweight-charts on first visit.
              { path: 'pnl', lazy: async () => ({ Component: (await import('./pages/PnlPage')).PnlPage }) },
              { path: 'strategies', element: <StrategiesPage /> },
              { path: 'strategies/new', element: <StrategyPage /> },
              { path: 'strategies/:name', element: <StrategyPage /> },
              { path: 'market', lazy: async () => ({ Component: (await import('./pages/MarketPage')).MarketPage }) },
              { path: 'health', element: <HealthPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
