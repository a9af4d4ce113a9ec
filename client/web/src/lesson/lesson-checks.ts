/**
 * The lesson's checks (lesson.ts names one per step): each says what server
 * event shows that its step happened, and turns such an event into a line of
 * evidence the panel shows beside the tick ("alice joined").
 */
import { POLICY_WORDS } from '@envelope/protocol';
import { EMPTY_MEMORY, isConversation, type LessonCheck, type LessonEvent } from './lesson-events.js';

function activity<K extends string>(event: LessonEvent, kind: K) {
  return event.kind === 'activity' && event.activity.kind === kind ? (event.activity as Extract<typeof event.activity, { kind: K }>) : null;
}

export const CHECKS = {
  joined: {
    label: 'Someone joined',
    evidence: (event) => {
      const joined = activity(event, 'joined');
      if (joined) return `${joined.username} joined`;
      if (event.kind === 'existing' && event.accounts > 0) return `${event.accounts} ${event.accounts === 1 ? 'person has' : 'people have'} joined`;
      return null;
    },
  },
  messageReachedServer: {
    label: 'A message reached the server',
    evidence: (event) =>
      event.kind === 'envelope' && isConversation(event.envelope)
        ? `a message for ${event.envelope.recipient} reached the server${event.envelope.sender ? ` from ${event.envelope.sender}` : ''}`
        : null,
  },
  delivered: {
    label: 'A message was delivered and the server deleted its copy',
    evidence: (event) => (event.kind === 'delivered' ? `${event.ack.recipient}’s device confirmed a message; the server deleted its copy` : null),
  },
  twoWriters: {
    label: 'The server has seen two different people write',
    evidence: (event, memory) => {
      if (event.kind !== 'envelope' || !isConversation(event.envelope) || event.envelope.sender === null) return null;
      const others = memory.writers.filter((writer) => writer !== event.envelope.sender);
      return others.length > 0 ? `the server has seen ${others[0]} and ${event.envelope.sender} write` : null;
    },
  },
  keysChanged: {
    label: 'Someone reset their keys',
    evidence: (event) => {
      const changed = activity(event, 'keys-changed');
      return changed ? `${changed.username} has new keys: their contacts’ safety numbers changed` : null;
    },
  },
  reported: {
    label: 'A report was filed',
    evidence: (event) => {
      const reported = activity(event, 'reported');
      if (reported) return `${reported.reporter} reported a message; the server checked and filed it`;
      if (event.kind === 'existing' && event.reports > 0) return `${event.reports} ${event.reports === 1 ? 'report is' : 'reports are'} in the queue`;
      return null;
    },
  },
  sealedEnvelope: {
    label: 'A message with a hidden sender arrived',
    evidence: (event) => (event.kind === 'envelope' && event.envelope.sender === null ? `a sealed envelope for ${event.envelope.recipient}: the server does not know who sent it` : null),
  },
  warrantAnswered: {
    label: 'A warrant answer was produced',
    evidence: (event) => {
      const answered = activity(event, 'warrant-answered');
      return answered ? `the server answered a warrant about ${answered.username}` : null;
    },
  },
  transportOnly: {
    label: 'The server is in transport-only',
    evidence: (event) => (event.kind === 'policy' && event.mode === 'transport-only' ? `the mode is transport-only: ${POLICY_WORDS['transport-only'].banner}` : null),
  },
  keyEscrow: {
    label: 'The server is in key escrow',
    evidence: (event) => (event.kind === 'policy' && event.mode === 'key-escrow' ? `the mode is key escrow: ${POLICY_WORDS['key-escrow'].banner}` : null),
  },
  backToE2ee: {
    label: 'Back to end-to-end encryption after another mode',
    evidence: (event, memory) => (event.kind === 'policy' && event.mode === 'e2ee' && memory.leftE2ee ? 'the mode is end-to-end encryption again' : null),
  },
} satisfies Record<string, LessonCheck>;

/** For tests and readers: a check's evidence with nothing remembered. */
export function evidenceAlone(check: LessonCheck, event: LessonEvent): string | null {
  return check.evidence(event, EMPTY_MEMORY);
}
