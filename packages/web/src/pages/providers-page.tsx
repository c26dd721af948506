import { useCan } from '../api/use-session.js';
import { ProviderCredentialsSection } from './providers/provider-credentials-section.js';
import { RoutesSection } from './providers/routes-section.js';

export default function ProvidersPage() {
  const canEdit = useCan('admin');
  return (
    <>
      <h1>Providers &amp; routes</h1>
      {!canEdit && <p className="muted">Admins of this organization change these; you can see them.</p>}
      <ProviderCredentialsSection />
      <RoutesSection />
    </>
  );
}
