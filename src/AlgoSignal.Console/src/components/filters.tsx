import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list page's filters kept in the URL query, so a filtered view can be bookmarked and shared:
 * `current` is what the URL says (and what the API is asked for), `draft` is what the form holds until Apply.
 */
export function useUrlFilters<const K extends string>(fields: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const current = Object.fromEntries(fields.map((f) => [f, params.get(f) ?? ''])) as Record<K, string>;
  const [draft, setDraft] = useState(current);

  /** One field's value as an input's `value`/`onChange` pair. */
  const bind = (field: K) => ({ value: draft[field], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value }) });

  /** Only the fields that are set go into the URL, in the fields' order: the same filters always give the same URL. */
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of fields) if (draft[f].trim()) next.set(f, draft[f].trim());
    setParams(next);
  };

  return { current, draft, bind, apply };
}

/** The filter bar every list page shows: its fields, then Apply (and whatever other buttons the page adds). */
export function FilterForm({ label, onSubmit, buttons, children }: { label: string; onSubmit: (e: FormEvent) => void; buttons?: ReactNode; children: ReactNode }) {
  return (
    <form className="filters" onSubmit={onSubmit} aria-label={label}>
      {children}
      <div className="filter-buttons">
        <button type="submit" className="primary">
          Apply
        </button>
        {buttons}
      </div>
    </form>
  );
}
