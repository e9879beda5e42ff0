import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server for the delivery tests, checking what a real one checks: a login (when it was
 * given one), a sender, a recipient, and a whole message. It keeps every message it accepted, and
 * also those it received but never acknowledged (`hang`), as a provider keeps a message whose
 * answer never reached the sender. Its moods, changed at any time:
 * - `up`: accepts;
 * - `down`: refuses every connection (421, "try again later");
 * - `reject`: refuses every recipient for good (550);
 * - `hang`: takes the message and never answers;
 * - `delayMs`: answers each message that much later.
 */
export type Mood = 'up' | 'down' | 'reject' | 'hang';

export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  /** False for a message taken while hanging: the sender never heard that it arrived. */
  acknowledged: boolean;
};

export type FakeSmtp = {
  url: string;
  port: number;
  mails: ReceivedMail[];
  mood: Mood;
  delayMs: number;
  /** Messages per Message-ID, to find one delivered twice. */
  countsById(): Map<string, number>;
  close(): Promise<void>;
};

type Error421 = Error & { responseCode?: number };
const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode }) as Error421;

export async function startFakeSmtp(options: { user?: string; pass?: string } = {}): Promise<FakeSmtp> {
  const hanging = new Set<() => void>();
  const state = { mood: 'up' as Mood, delayMs: 0 };
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: options.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.user,
    logger: false,
    // Local clients only: no reverse DNS lookup of each connection.
    disableReverseLookup: true,
    // Tests end with connections still hanging: let close() cut them.
    closeTimeout: 100,
    onConnect(_session, callback) {
      if (state.mood === 'down') return callback(smtpError('Service not available, try again later', 421));
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass)
        return callback(null, { user: auth.username });
      callback(smtpError('Authentication failed', 535));
    },
    onRcptTo(_address, _session, callback) {
      if (state.mood === 'reject') return callback(smtpError('Mailbox unavailable', 550));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
        const received: ReceivedMail = {
          ...mail,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          acknowledged: false,
        };
        mails.push(received);
        if (state.mood === 'hang') {
          hanging.add(() => callback(smtpError('Connection closing', 421)));
          return;
        }
        const answer = () => {
          received.acknowledged = true;
          callback();
        };
        if (state.delayMs > 0) setTimeout(answer, state.delayMs);
        else answer();
      });
    },
  });
  // A client killed mid-session resets its connection: that is what some tests do, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const credentials = options.user
    ? `${encodeURIComponent(options.user)}:${encodeURIComponent(options.pass ?? '')}@`
    : '';
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    mails,
    get mood() {
      return state.mood;
    },
    set mood(mood: Mood) {
      state.mood = mood;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    countsById() {
      const counts = new Map<string, number>();
      for (const mail of mails) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
      return counts;
    },
    async close() {
      for (const release of hanging) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Enough of RFC 5322 and MIME for what nodemailer writes: one text part, its headers decoded. */
export function parseMail(raw: string): { subject: string; text: string; messageId: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    text: text.replace(/\r\n/g, '\n').replace(/\n$/, ''),
    messageId: headers.get('message-id') ?? '',
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`), joined as the standard says. */
function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}
