import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Overview } from './types';

export function useOverview() {
  return useQuery({
    queryKey: ['overview'],
    queryFn: ({ signal }) => api.get<Overview>('/api/v1/overview', signal),
    refetchInterval: 15_000,
  });
}
