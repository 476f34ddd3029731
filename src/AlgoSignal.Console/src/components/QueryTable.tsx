import type { ReactNode } from 'react';
import { Empty, ErrorBox, Loading } from './ui';

/** What a list query gives a table: the rows once answered, or why there are none yet. */
export interface ListQuery<T> {
  data: T[] | undefined;
  error: unknown;
  isPending: boolean;
}

/**
 * A list answered by the API as a table: the error (if any), then loading, the empty message, or the rows.
 * Every list page says these three states the same way.
 */
export function QueryTable<T>({ query, empty, head, children }: { query: ListQuery<T>; empty: ReactNode; head: ReactNode; children: (rows: T[]) => ReactNode }) {
  return (
    <>
      <ErrorBox error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : (query.data ?? []).length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>{head}</tr>
          </thead>
          <tbody>{children(query.data!)}</tbody>
        </table>
      )}
    </>
  );
}
