/**
 * The guided lesson, in one place: the presenter panel (/lesson), the student
 * handout (/lesson/handout) and the teacher sheet (/lesson/teacher) are all
 * drawn from these steps, so they can never disagree.
 *
 * Each step says what to show (on the projector), what to say (two or three
 * sentences; a claim about the world cites its source from ui/sources.ts),
 * what the students do (the handout's line), a question for the class, and a
 * check: the server event that shows the step happened (lesson-events.ts). The
 * panel ticks a check only from what the server's live stream reports, never
 * from a timer; the teacher can tick or untick by hand.
 */
import { SOURCES, type Source } from '../ui/sources.js';
import type { LessonCheck } from './lesson-events.js';
import { CHECKS } from './lesson-checks.js';

export interface Sentence {
  readonly text: string;
  /** Where a claim about the world comes from; none for what the app itself shows. */
  readonly source?: Source;
}

export interface LessonStep {
  /** Stable: progress is kept by id. */
  readonly id: string;
  readonly title: string;
  readonly minutes: number;
  /** What to show on the projector, in order. */
  readonly show: readonly string[];
  /** What to say: two or three sentences. */
  readonly say: readonly Sentence[];
  /** What each student does (the handout's line). */
  readonly task: string;
  readonly question: string;
  readonly check: LessonCheck;
}

export const LESSON_TITLE = 'What end-to-end encryption hides, and what the server still sees';

export const LESSON_STEPS: readonly LessonStep[] = [
  {
    id: 'join',
    title: 'Join',
    minutes: 3,
    show: ['The classroom page with its address and QR code.', 'Each student picks a name and joins from their own device.'],
    say: [
      { text: 'When you join, your browser makes your keys. The private ones never leave this device: the server only gets the public halves, so others can write to you.' },
      { text: 'The server knows your chosen name and when you joined, nothing else.' },
    ],
    task: 'Open the address on the board and join with a name of your choice.',
    question: 'What does the server need to know about you to deliver a message?',
    check: CHECKS.joined,
  },
  {
    id: 'chat',
    title: 'Chat',
    minutes: 4,
    show: ['Add a neighbour as a contact and send a message.', 'The words under each message: Queued on this device, Stored at the server, Delivered.'],
    say: [
      { text: 'The message is encrypted on your device before it leaves. The server keeps the sealed envelope until your friend’s device confirms it, then deletes its copy.' },
      { text: '“Delivered” is your friend’s device saying so in an encrypted receipt, not the server’s word.' },
    ],
    task: 'Add a neighbour as a contact and send them a message.',
    question: 'While your message waits on the server, who can read it?',
    check: CHECKS.messageReachedServer,
  },
  {
    id: 'xray',
    title: 'X-ray a message',
    minutes: 5,
    show: ['X-ray on a sent message: what was typed, the padded plaintext, the ciphertext bytes.', 'The server’s row beside it: “Same bytes”.'],
    say: [
      { text: 'The X-ray puts what you typed next to what the server stored. The server holds exactly the bytes your device sent, and they look like noise.' },
      { text: 'Padding rounds the size up, so even the length of the text stays hidden.' },
    ],
    task: 'Open the X-ray of one of your messages and find the server’s copy of it.',
    question: 'What could the server learn from these bytes without the key?',
    check: CHECKS.delivered,
  },
  {
    id: 'server-view',
    title: 'The server’s view',
    minutes: 5,
    show: ['The operator page: envelopes passing, the who-talks-to-whom graph, one person’s timeline.'],
    say: [
      { text: 'The server cannot read a word, but it sees who writes to whom, when and how much, and draws this map from that alone.' },
      {
        text: 'Meta says it uses such metadata signals to find abusers on encrypted chats; the UK’s National Crime Agency answers that metadata alone “will rarely, if ever” be enough for a warrant.',
        source: SOURCES.messengerDefaultE2ee,
      },
    ],
    task: 'Look at the map on the projector and find yourself.',
    question: 'What can you tell about this class from the map alone?',
    check: CHECKS.twoWriters,
  },
  {
    id: 'safety',
    title: 'Safety numbers and a key change',
    minutes: 5,
    show: ['Safety number with a neighbour: compare the 60 digits, Mark as verified.', 'One student presses Reset keys (as if they had a new phone): the warning their contacts see.'],
    say: [
      { text: 'If both screens show the same number, nobody in between swapped the keys, not even the server.' },
      { text: 'When a key changes, the app holds that person’s messages and asks you first: it could be a new phone, or someone listening in.' },
    ],
    task: 'Compare your safety number with a neighbour’s screen. Then watch what happens when someone resets their keys.',
    question: 'How would you check that a key change is really your friend’s new phone?',
    check: CHECKS.keysChanged,
  },
  {
    id: 'report',
    title: 'A report',
    minutes: 4,
    show: ['Report on a received message.', 'The operator page’s “Messages users reported”: that one message, checked.'],
    say: [
      { text: 'A report reveals one message to the moderators, and the server checks it was really sent, so nobody can forge one.' },
      { text: 'Police chiefs ask platforms to keep detecting and reporting illegal activity themselves.', source: SOURCES.europolTwoAsks },
      { text: 'The UK’s National Crime Agency adds that the onus should not be solely on children to report abuse.', source: SOURCES.messengerDefaultE2ee },
    ],
    task: 'Report a message you received (any reason) and see what the server gets.',
    question: 'What does a report show the moderators, and what does it not?',
    check: CHECKS.reported,
  },
  {
    id: 'sealed',
    title: 'Sealed sender',
    minutes: 4,
    show: ['Hide my name from the server, then send a message to someone who has written to you.', 'The envelope list: that row without a sender.'],
    say: [
      { text: 'With sealed sender your name travels inside the encryption: the server still sees who the message is for, when, and its size, but not who sent it.' },
      { text: 'Only people who have written to you can do this, so strangers cannot flood you anonymously.' },
    ],
    task: 'Switch on “Hide my name from the server” and reply to someone who wrote to you.',
    question: 'What does the server still know about a sealed message?',
    check: CHECKS.sealedEnvelope,
  },
  {
    id: 'warrant',
    title: 'The warrant answer',
    minutes: 4,
    show: ['Warrant request on the operator page: pick a student, read the answer to the end, “what the server could not provide”.'],
    say: [
      { text: 'This is everything the server could hand to the police about one person: keys, contacts, times and sizes, but no message text.' },
      {
        text: 'The NCA says one stream of data that companies gave in answer to warrants led to 327 arrests between January and March 2024, and warns that companies are less able to act on warrants once messages are end-to-end encrypted.',
        source: SOURCES.ncaReferrals,
      },
    ],
    task: 'Listen: which of your actions today appear in the answer about you?',
    question: 'Is this answer enough to investigate a crime? What is missing?',
    check: CHECKS.warrantAnswered,
  },
  {
    id: 'transport-only',
    title: 'Policy mode: transport-only',
    minutes: 5,
    show: ['Switch the server to transport-only: the banner on every screen.', 'Send a message: the operator page shows its text. Then “What a thief gets”.'],
    say: [
      {
        text: 'In April 2024, 32 European police chiefs asked for “lawful access” to content and “security by design”. Transport-only is the simplest form: the server reads everything.',
        source: SOURCES.policeDeclaration,
      },
      {
        text: 'Cryptographers answer that an access path for the police is one for thieves and insiders too: whoever copies the server’s data reads every message.',
        source: SOURCES.doormats,
      },
    ],
    task: 'Send a message and watch the banner and the projector.',
    question: 'Who besides the police could read the messages now?',
    check: CHECKS.transportOnly,
  },
  {
    id: 'key-escrow',
    title: 'Policy mode: key escrow',
    minutes: 4,
    show: ['Switch to key escrow: messages stay encrypted, each with a copy of its key sealed for the escrow.', 'The agency page: two of three share holders open an account; the rogue app.'],
    say: [
      { text: 'Key escrow splits a master key between a court, an agency and the provider; any two can open every message the server keeps.' },
      {
        text: 'In 1994 Matt Blaze showed that the US Clipper chip’s 16-bit check could be defeated by trial, so a rogue app could escape the escrow.',
        source: SOURCES.blaze1994,
      },
    ],
    task: 'Send a message under key escrow and see its tag.',
    question: 'Who holds the shares, and what happens if two of them leak?',
    check: CHECKS.keyEscrow,
  },
  {
    id: 'wrap-up',
    title: 'Back to end-to-end, and the debate',
    minutes: 2,
    show: ['Switch back to e2ee: the banner says how many messages the server can still read.'],
    say: [
      {
        text: 'In 2019 the US, UK and Australian governments wrote that encryption could lose 70% of Facebook’s 16.8 million reports to the US child-protection centre NCMEC; Access Now called their choice between security and encryption a “false dichotomy”.',
        source: SOURCES.openLetter2019,
      },
      { text: 'Each mode today moved the same line: who can read, and who pays for it.' },
    ],
    task: 'Write down which mode you would choose for a messaging app, and why.',
    question: 'Which design would you choose, and who bears its cost?',
    check: CHECKS.backToE2ee,
  },
];

/** The lesson's length in minutes (the steps' sum). */
export const LESSON_MINUTES = LESSON_STEPS.reduce((sum, step) => sum + step.minutes, 0);

/** Every source the lesson cites, once, in order of first use (the teacher sheet lists them). */
export function lessonSources(steps: readonly LessonStep[] = LESSON_STEPS): Source[] {
  const seen = new Set<string>();
  return steps.flatMap((step) => step.say.flatMap((sentence) => (sentence.source && !seen.has(sentence.source.label) && seen.add(sentence.source.label) ? [sentence.source] : [])));
}
