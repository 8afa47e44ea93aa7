// The product page says to rotate provider keys quarterly: the Overview reminds the admin when a key is
// 90 days old or more, with the way to AI Configuration (where the card says the same).
import type { ProvidersResponse } from '../../../api/api-types.ts';
import { Link } from '../../../app/router.tsx';
import { useApi } from '../../../components/use-api.ts';

export function RotationDueNote() {
  const providers = useApi<ProvidersResponse>('/api/admin/ai/providers');
  const due = (providers.data?.providers ?? []).filter((p) => p.key.rotationDue);
  if (due.length === 0) return null;
  return (
    <div className="note note-warning" role="status" data-testid="rotation-due">
      <strong className="note-title">Key rotation due</strong>
      <p className="note-message">
        {due.map((p, i) => (
          <span key={p.id}>
            {i > 0 && '; '}
            {p.label}: key <code>{p.key.hint}</code> is {p.key.ageDays} days old
          </span>
        ))}
        .
      </p>
      <p className="note-hint">
        Create a new key at the provider, rotate it in <Link to="/admin/ai-configuration">AI Configuration</Link>, then revoke the old one.
      </p>
    </div>
  );
}
