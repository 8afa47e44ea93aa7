// One message: the question, or the answer with its steps, the model that wrote it and its status.
import type { ChatMessage } from '../../api/api-types.ts';
import { Badge } from '../../components/badge.tsx';
import { formatNumber } from '../../components/format.ts';
import { ChatErrorNote } from './chat-errors.tsx';
import { ChatStepView } from './chat-step-view.tsx';
import { stepsFromParts, type ChatStep } from './chat-steps.ts';
import type { LiveAnswer } from './use-chat-conversation.ts';

export function UserMessageView({ content }: { content: string }) {
  return (
    <article className="msg msg-user" aria-label="Your question">
      <div className="msg-bubble">{content}</div>
    </article>
  );
}

interface AnswerProps {
  text: string;
  steps: ChatStep[];
  model: string | null;
  status: LiveAnswer['status'];
  error: { code: string; message: string } | null;
  inputTokens?: number;
  outputTokens?: number;
  live?: boolean;
}

export function AnswerView({ text, steps, model, status, error, inputTokens, outputTokens, live }: AnswerProps) {
  const streaming = status === 'streaming';
  return (
    <article className="msg msg-assistant" aria-label="Answer">
      <div className="msg-meta">
        <span className="msg-author">Mosaic</span>
        {model && (
          <span className="msg-model" title="The model that answered">
            {model}
          </span>
        )}
        {streaming && <Badge tone="info">writing…</Badge>}
        {status === 'interrupted' && <Badge tone="warning">stopped</Badge>}
        {status === 'error' && <Badge tone="danger">failed</Badge>}
        {inputTokens !== undefined && outputTokens !== undefined && !streaming && (
          <span className="muted small">
            {formatNumber(inputTokens)} in · {formatNumber(outputTokens)} out tokens
          </span>
        )}
      </div>
      {steps.length > 0 && (
        <div className="steps" aria-label="Steps">
          {steps.map((step) => (
            <ChatStepView key={step.id} step={step} />
          ))}
        </div>
      )}
      <div className="msg-text" aria-live={live ? 'polite' : undefined} aria-busy={live ? streaming : undefined} data-testid={live ? 'streaming-answer' : undefined}>
        {text}
        {streaming && <span className="cursor" aria-hidden="true" />}
        {streaming && !text && steps.length === 0 && <span className="muted">Thinking…</span>}
      </div>
      {error && <ChatErrorNote error={error} />}
    </article>
  );
}

export function StoredMessageView({ message, errorText }: { message: ChatMessage; errorText?: string | null }) {
  if (message.role === 'user') return <UserMessageView content={message.content} />;
  const error = message.status === 'error' ? { code: message.errorCode ?? 'error', message: errorText ?? 'The answer stopped before it was complete.' } : null;
  return (
    <AnswerView
      text={message.content}
      steps={stepsFromParts(message.parts)}
      model={message.model}
      status={message.status === 'complete' ? 'complete' : message.status}
      error={error}
      inputTokens={message.usage?.inputTokens}
      outputTokens={message.usage?.outputTokens}
    />
  );
}
