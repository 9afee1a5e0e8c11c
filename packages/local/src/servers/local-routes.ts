import { readMailbox } from './mailbox';

/** One email of the local mailbox as `GET /local/mail` answers it. */
export interface LocalMailMessage {
  /** SES's message id (the `.eml` file's name). */
  id: string;
  /** The id `tillflow mail` prints and `tillflow mail show` takes. */
  short_id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  /** The Date header (ISO 8601). */
  date: string;
  /** The business date a report is about (its X-Tillflow-Date header); null for other messages. */
  business_date: string | null;
  text: string | null;
  html: string | null;
}

/** `GET /local/mail` 200: the emails the local SES accepted, newest first. */
export interface LocalMailResponse {
  messages: LocalMailMessage[];
}

/** A route the local gateway answers itself: no function runs it, and the deployed API has no such route. */
export type LocalRoute = () => Promise<unknown>;

/**
 * The local platform's own routes, under `/local/`: what only a local run has to show. `GET /local/mail` lists the
 * emails of the local SES (the `.eml` files under `<state>/ses/`, as `tillflow mail` reads them), so that the
 * dashboard's Report tab shows the sent reports; in AWS the messages are in the recipients' mailboxes, the route does
 * not exist, and the tab hides the list. Not in API_ROUTE_SPECS, so not in the OpenAPI document nor in Terraform.
 */
export function localRoutes(stateDir: string): Readonly<Record<string, LocalRoute>> {
  return {
    'GET /local/mail': async (): Promise<LocalMailResponse> => {
      const messages = await readMailbox(stateDir);
      return {
        messages: messages.reverse().map((m) => ({
          id: m.messageId,
          short_id: m.shortId,
          from: m.from,
          to: m.to,
          cc: m.cc,
          subject: m.subject,
          date: m.date,
          business_date: m.businessDate ?? null,
          text: m.text ?? null,
          html: m.html ?? null,
        })),
      };
    },
  };
}
