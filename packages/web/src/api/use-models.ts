import { useQuery } from '@tanstack/react-query';
import { listGatewayModels } from './gateway.js';
import { listOrgModels } from './models.js';
import { GATEWAY_MODELS_KEY, MODELS_KEY } from './query-keys.js';

/** `GET /api/models`: the org's route aliases and the models of the server's providers. */
export function useOrgModels() {
  return useQuery({ queryKey: MODELS_KEY, queryFn: () => listOrgModels() });
}

/** `GET /v1/models` through the gateway with the Playground key, once there is one. */
export function useGatewayModels(orgId: string, keyPresent: boolean) {
  return useQuery({
    queryKey: [...GATEWAY_MODELS_KEY, orgId],
    enabled: keyPresent,
    queryFn: ({ signal }) => listGatewayModels({ orgId, signal }),
  });
}
