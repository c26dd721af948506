import { useQuery } from '@tanstack/react-query';
import { gatewayFetch } from '../../api/playground-key.js';

/** `GET /v1/models` through the gateway: the org's route aliases and every provider's models. */
export function useGatewayModels(orgId: string, keyPresent: boolean) {
  return useQuery({
    queryKey: ['gateway-models', orgId],
    enabled: keyPresent,
    queryFn: async ({ signal }) => {
      const response = await gatewayFetch({ orgId, path: '/v1/models', signal });
      const body = (await response.json()) as { data: Array<{ id: string }> };
      return body.data.map((model) => model.id);
    },
  });
}
