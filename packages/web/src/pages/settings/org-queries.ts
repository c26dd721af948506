import type { Org } from '@switchyard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';

export const ORG_KEY = ['org'] as const;

/** The current org, with its plan, limits in force and payload setting. */
export function useOrg() {
  return useQuery({ queryKey: ORG_KEY, queryFn: () => api<Org>('/api/org') });
}

export const LOG_PAYLOADS_HELP =
  'When on, Switchyard stores the inputs and outputs (prompts, messages and completions) of gateway calls and ingested traces, so you can read them under Requests. When off, only metadata is kept: model, tokens, cost, latency and status. The change applies to calls from now on; what is already stored stays.';
