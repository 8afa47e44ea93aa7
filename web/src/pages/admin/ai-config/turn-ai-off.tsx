// The kill switch, in its own danger zone: after a leaked key, turn AI off for the whole tenant at once.
import { useState } from 'react';
import { api } from '../../../api/api-client.ts';
import { Dialog } from '../../../components/dialog.tsx';
import { ErrorNote } from '../../../components/error-note.tsx';
import { Spinner } from '../../../components/spinner.tsx';
import { useAction } from '../../../components/use-action.ts';

export function TurnAiOff({ onDone }: { onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();

  const confirm = async () => {
    await run(async () => {
      await api('/api/admin/ai/deactivate', { method: 'POST', body: {} });
      setOpen(false);
      onDone();
    });
  };

  return (
    <section className="danger-zone" aria-labelledby="danger-title">
      <div>
        <h2 id="danger-title">Danger zone</h2>
        <p className="muted">
          <strong>Turn AI off</strong> for everyone in your organisation — for example after a key leaked. New chats are refused and answers being written stop. Your providers and keys stay; make one active again to turn AI back on.
        </p>
      </div>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Turn AI off
      </button>
      <Dialog
        title="Turn AI off?"
        tone="danger"
        open={open}
        onClose={() => setOpen(false)}
        footer={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="btn btn-danger" onClick={() => void confirm()} disabled={busy}>
              {busy ? <Spinner label="Turning off…" /> : 'Yes, turn AI off'}
            </button>
          </>
        }
      >
        <p>Every chat in your organisation stops working until you make a provider active again. Answers being written right now are stopped.</p>
        <ErrorNote error={error} />
      </Dialog>
    </section>
  );
}
