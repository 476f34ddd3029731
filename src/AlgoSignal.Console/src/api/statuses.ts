// The status words the API uses (alerts: the worker's AlertStatuses; orders: Domain OrderStatuses).
// Shown exactly as written; these lists only feed the filter menus.
export const ALERT_STATUSES = [
  'received',
  'filled',
  'ordered',
  'partially_filled',
  'partially_executed',
  'duplicate',
  'rejected',
  'risk_rejected',
  'failed',
  'cancelled',
] as const;

export const ORDER_STATUSES = ['submitting', 'accepted', 'partially_filled', 'filled', 'unknown', 'rejected', 'failed', 'cancelling', 'cancelled'] as const;
