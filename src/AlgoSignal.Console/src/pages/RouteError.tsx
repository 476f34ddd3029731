import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { PageHeader } from '../components/ui';

/** What a page that failed to render shows, inside the console's frame: the reason and a way on. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <>
      <PageHeader title="This page failed" />
      <div className="error-box" role="alert">
        {message}
      </div>
      <p>
        Reload the page, or go to the <Link to="/">overview</Link>.
      </p>
    </>
  );
}
