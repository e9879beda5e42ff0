import { notificationEvent } from '../../db/schema/enums.ts';
import type { Message } from './channels/types.ts';
import type { NotificationEvent } from './outbox.ts';

/*
 * STUB, in the delivery branch only: the inbox helper writes the real renderer (one Chinese message
 * per event, with names and links). This one only lets the delivery worker run: the event's label
 * as the title, the payload as JSON for the text.
 */

/** The message of one event, shared by every channel. */
export function renderMessage(
  event: NotificationEvent,
  payload: Record<string, unknown>,
  options: { publicUrl: string | null },
): Message {
  const title = notificationEvent.labels[event]?.zh ?? event;
  const text = JSON.stringify(payload);
  return {
    event,
    title,
    text,
    markdown: `**${title}**\n\n${text}`,
    link: options.publicUrl,
    fields: { title },
  };
}
