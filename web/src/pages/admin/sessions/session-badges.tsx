import { Badge } from '../../../components/badge.tsx';

export function StatusBadge({ status }: { status: string }) {
  return status === 'in_flight' ? <Badge tone="info">in flight</Badge> : <Badge>completed</Badge>;
}

export function OutcomeBadge({ outcome }: { outcome: string | null }) {
  if (!outcome) return <span className="muted">—</span>;
  return <Badge tone={outcome === 'success' || outcome === 'ok' ? 'success' : outcome === 'error' ? 'danger' : 'neutral'}>{outcome}</Badge>;
}
