import nodemailer from 'nodemailer';
import type { NotifyConfig } from '../../../config.ts';
import type { Channel, Message, SendOutcome } from './types.ts';

/** What nodemailer's errors carry besides the message (its NodemailerError, in short). */
type MailError = Error & { code?: string; responseCode?: number; permanent?: boolean };

/** Connections to the SMTP server kept per instance. */
const POOL_CONNECTIONS = 5;

/**
 * E-mail through SMTP (`SMTP_URL`, from `MAIL_FROM`), over a few reused connections. SMTP takes no
 * idempotency key, so a message whose outcome was lost with its instance is `unknown`, never sent
 * again on a guess.
 */
export function emailChannel(config: NotifyConfig): Channel {
  const settings = config.email;
  const transport = settings
    ? nodemailer.createTransport({
        url: settings.smtpUrl,
        // A few connections kept open and reused (a login and a TLS handshake per message cost
        // more than the message); one left idle for the timeout is closed.
        pool: true,
        maxConnections: POOL_CONNECTIONS,
        // Each wait bounded by the channel's timeout, as the worker's own deadline is.
        connectionTimeout: config.timeoutMs,
        greetingTimeout: config.timeoutMs,
        socketTimeout: config.timeoutMs,
      })
    : null;
  return {
    code: 'email',
    idempotent: false,
    notConfigured: () => (settings ? null : 'SMTP_URL is not set'),
    unreachable: (recipient) => (recipient.email?.trim() ? null : 'no e-mail address'),
    async send({ message, recipient, idempotencyKey, signal }): Promise<SendOutcome> {
      if (!settings || !transport) return { ok: false, error: 'SMTP_URL is not set', retry: false };
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: { name: recipient.name, address: recipient.email?.trim() ?? '' },
          subject: message.title,
          text: bodyOf(message),
          // Stable across retries, so a mail system that keeps Message-IDs can spot a repeat.
          messageId: `<${idempotencyKey}@${domainOf(settings.from)}>`,
          signal,
        });
        return { ok: true, providerMessageId: info.serverMessageId ?? info.messageId };
      } catch (error) {
        return failureOf(error as MailError);
      }
    },
  };
}

/** The text, then the link where it is acted on when the text does not already carry it. */
export function bodyOf(message: Message): string {
  if (!message.link || message.text.includes(message.link)) return message.text;
  return `${message.text}\n\n${message.link}`;
}

/** The domain of the sender's address, for Message-IDs ("Banyan CRM <crm@school.cn>" → school.cn). */
function domainOf(from: string): string {
  return /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'banyan-crm.invalid';
}

/**
 * A refusal the server means for good (a 5xx reply other than 503, an address it rejects) is not
 * tried again; anything else — the server down, a timeout, 4xx, a login refused (the settings may
 * yet be fixed) — is. The words are nodemailer's and the server's: they carry no password.
 */
function failureOf(error: MailError): SendOutcome {
  const text = error.message || String(error);
  if (error.name === 'AbortError' || error.code === 'EABORT') {
    return { ok: false, error: `the SMTP server did not finish in time (${text})`, retry: true };
  }
  // EENVELOPE without a reply: nodemailer found no address it could send to.
  const permanent =
    error.code !== 'EAUTH' &&
    (error.permanent === true || (error.code === 'EENVELOPE' && error.responseCode === undefined));
  return { ok: false, error: text, retry: !permanent };
}
