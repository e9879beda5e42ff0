/** Text typed by teachers (lesson titles) put into a chart's HTML tooltip, as text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
