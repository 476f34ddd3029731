import { Link } from 'react-router';
import { PageHeader } from '../components/ui';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Not found" />
      <p>
        No page here. Go to the <Link to="/">overview</Link>.
      </p>
    </>
  );
}
