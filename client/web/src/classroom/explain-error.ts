/**
 * What went wrong, in words a newcomer understands, chosen by the client
 * error's code (never by its message text, which is for developers).
 */
import { errorCode } from './client-api.js';

/** Plain-language text for a client error, by its code (never by its message). */
export function explainError(error: unknown, context: { name?: string } = {}): string {
  const who = context.name ?? 'that person';
  switch (errorCode(error)) {
    case 'USERNAME_TAKEN':
      return `The name “${who}” is already taken on this server. Pick another one.`;
    case 'INVALID_ARGUMENT':
      return 'Names are 2 to 32 characters: lower-case letters, digits, “-” and “_”, starting with a letter or digit.';
    case 'UNKNOWN_USER':
      return `Nobody called “${who}” has joined this server yet.`;
    case 'KEY_CHANGED':
      return `${who}’s safety number changed. Check it and choose “Accept new key” before sending.`;
    case 'SERVER_UNREACHABLE':
      return 'The server cannot be reached right now. Try again in a moment.';
    case 'RATE_LIMITED':
      return 'Too many tries at once. Wait a few seconds and try again.';
    case 'AUTH_FAILED':
      return `The server no longer knows ${context.name ? `“${context.name}”` : 'this person'}: the class was probably reset, or the server’s data deleted. Join again to carry on.`;
    case 'CLASS_RESET':
      return `The teacher reset the class: ${context.name ? `“${context.name}”` : 'this person'} no longer exists on the server, and everything the server held about them was deleted. Join again to carry on.`;
    case 'REPORT_REJECTED':
      // The server's own reason says which check failed; it is written for people.
      return `The server refused the report: ${error instanceof Error ? error.message : 'it did not check out'}.`;
    case 'SEALED_ACCESS_DENIED':
      return `The server refused a message with your name hidden: it accepts those only from people ${who} has written to. Switch off “Hide my name from the server” to send it.`;
    case 'STORE_CORRUPT': {
      // The client names the damaged record in plain words ("inbox entry", "account record").
      const record = typeof (error as { details?: { record?: unknown } }).details?.record === 'string' ? (error as { details: { record: string } }).details.record : null;
      return `Part of what this browser saved for this person is damaged${record ? ` (a stored ${record})` : ''} and cannot be read. Remove this participant and join again to start fresh.`;
    }
    case 'UNKNOWN_POLICY_MODE':
      // Fail closed: the app cannot say who could read a message sent under a mode it does not know.
      return 'Not sent. The server announced a mode this app does not know, so the app cannot tell you who could read your message. Nothing leaves this device until the app knows the mode (the banner at the top says which).';
    case 'NOT_REPORTABLE':
      return 'This message cannot be reported: it was received before reports existed, or could not be read.';
    default:
      return error instanceof Error ? `Something went wrong: ${error.message}` : 'Something went wrong.';
  }
}
