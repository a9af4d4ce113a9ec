/**
 * The operator stream's `activity` events (operator.ts OPERATOR_STREAM_EVENTS;
 * class.ts says what they are for). Apart from class.ts so operator.ts can
 * name it without an import cycle.
 */
import { z } from 'zod';
import { TimestampSchema, UsernameSchema } from './codec.js';

/**
 * Something the server saw happen that is not an envelope (envelopes, and
 * policy changes, have their own stream events): a lesson step's evidence.
 */
export const ClassActivitySchema = z.discriminatedUnion('kind', [
  /** An account was registered (someone joined). */
  z.object({ kind: z.literal('joined'), username: UsernameSchema, at: TimestampSchema }).strict(),
  /** An account replaced its identity key (Reset keys): its contacts' safety numbers change. */
  z.object({ kind: z.literal('keys-changed'), username: UsernameSchema, at: TimestampSchema }).strict(),
  /** A user report was checked and filed (names who reported; the text stays in the queue). */
  z.object({ kind: z.literal('reported'), reporter: UsernameSchema, at: TimestampSchema }).strict(),
  /** The operator produced a warrant answer about an account. */
  z.object({ kind: z.literal('warrant-answered'), username: UsernameSchema, at: TimestampSchema }).strict(),
  /** The operator reset the class: everything a class leaves was deleted. */
  z.object({ kind: z.literal('class-reset'), at: TimestampSchema }).strict(),
]);
export type ClassActivity = z.infer<typeof ClassActivitySchema>;

/** As the server sends it (plain strings; readers parse into the branded types). */
export type ClassActivityWire = z.input<typeof ClassActivitySchema>;
