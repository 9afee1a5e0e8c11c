/**
 * Text for HTML: the five HTML-special characters as numeric references. Store-supplied text (product names) and
 * model text reach HTML emails and reports, so every value put into one goes through this, never into markup as is.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
