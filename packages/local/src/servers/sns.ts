import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { ACCOUNT_ID } from '../resources';
import { readSignedBody } from './api-auth';
import { send } from './http';

/** A message published to a topic, as recorded in `<state>/sns/<topic name>.ndjson`. */
export interface PublishedMessage {
  topicArn: string;
  subject?: string;
  message: string;
  timestamp: string;
  messageId: string;
}

/** An error of the SNS API, with its awsQuery error code and HTTP status. */
class SnsApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
  }
}

const MESSAGE_LIMIT_BYTES = 256 * 1024;

/** The topics that exist and where their messages go. */
export interface SnsTopicsOptions {
  /** Topic ARNs that exist; publishing elsewhere fails with NotFound, as in AWS. */
  topicArns: string[];
  /** Folder of the `<topic name>.ndjson` files. */
  dir: string;
  /** Called for each message published to these topics (the CLI prints alerts). */
  onMessage?: (message: PublishedMessage) => void;
}

/**
 * The topics of the local platform. There are no subscribers: a published message is recorded (in memory and in a
 * file per topic) for people and tests to read.
 */
export class SnsTopics {
  private readonly published: PublishedMessage[] = [];
  private readonly topicArns: Set<string>;

  constructor(private readonly options: SnsTopicsOptions) {
    this.topicArns = new Set(options.topicArns);
    mkdirSync(options.dir, { recursive: true });
  }

  /** Publish, with SNS's checks of the topic, message and subject; returns the message id. */
  publish(topicArn: string, message: string, subject?: string): string {
    if (!topicArn)
      throw new SnsApiError(
        'InvalidParameter',
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    if (!this.topicArns.has(topicArn)) throw new SnsApiError('NotFound', 'Topic does not exist', 404);
    if (!message) throw new SnsApiError('InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(message) > MESSAGE_LIMIT_BYTES) {
      throw new SnsApiError('InvalidParameter', 'Invalid parameter: Message too long');
    }
    if (subject !== undefined && (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))) {
      throw new SnsApiError('InvalidParameter', 'Invalid parameter: Subject');
    }
    const record: PublishedMessage = {
      topicArn,
      ...(subject !== undefined ? { subject } : {}),
      message,
      timestamp: new Date().toISOString(),
      messageId: randomUUID(),
    };
    this.published.push(record);
    appendFileSync(join(this.options.dir, `${topicNameOf(topicArn)}.ndjson`), `${JSON.stringify(record)}\n`);
    this.options.onMessage?.(record);
    return record.messageId;
  }

  /** The ARNs of the topics, sorted (ListTopics). */
  topics(): string[] {
    return [...this.topicArns].sort();
  }

  /** True when the topic exists (its ARN was given at construction). */
  has(topicArn: string): boolean {
    return this.topicArns.has(topicArn);
  }

  /** Messages published since start, oldest first; only those of one topic when given its name or ARN. */
  messages(topic?: string): PublishedMessage[] {
    return this.published.filter((m) => !topic || m.topicArn === topic || topicNameOf(m.topicArn) === topic);
  }
}

/** `arn:aws:sns:us-east-1:000000000000:tillflow-alerts` → `tillflow-alerts`. */
function topicNameOf(topicArn: string): string {
  return topicArn.slice(topicArn.lastIndexOf(':') + 1);
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * The SNS API over HTTP, as @aws-sdk/client-sns and `aws sns` speak it (awsQuery: a form-encoded `Action=…&…`
 * request, an XML answer). Serves Publish, ListTopics, GetTopicAttributes, ListSubscriptions and
 * ListSubscriptionsByTopic. The local topics have no subscribers (nothing delivers a message; it is recorded, see
 * {@link SnsTopics}), so both subscription lists are empty and the topic attributes count zero subscriptions.
 */
export function snsApiListener(topics: SnsTopics): RequestListener {
  return async (req, res) => {
    const requestId = randomUUID();
    try {
      if (req.method !== 'POST') throw new SnsApiError('InvalidAction', 'the SNS API takes POST requests', 400);
      const signed = await readSignedBody(req, 2 * MESSAGE_LIMIT_BYTES, {
        service: 'sns',
        protocol: 'query',
        refuse: (code, message) => new SnsApiError(code, message, 403),
      });
      const form = new URLSearchParams(signed.toString('utf8'));
      const action = form.get('Action') ?? '';
      const result = answer(topics, action, form);
      const xml =
        `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      send(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, xml);
    } catch (error) {
      const e = error instanceof SnsApiError ? error : new SnsApiError('InternalError', (error as Error).message, 500);
      const xml =
        '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
        `<Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${e.code}</Code>` +
        `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      send(res, e.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, xml);
    }
  };
}

/** The inside of an action's `<…Result>` element. */
function answer(topics: SnsTopics, action: string, form: URLSearchParams): string {
  switch (action) {
    case 'Publish': {
      const subject = form.get('Subject');
      const messageId = topics.publish(
        form.get('TopicArn') ?? form.get('TargetArn') ?? '',
        form.get('Message') ?? '',
        subject === null ? undefined : subject,
      );
      return `<MessageId>${messageId}</MessageId>`;
    }
    case 'ListTopics': {
      // At most a few topics: one page, as AWS answers below 100.
      const members = topics.topics().map((arn) => `<member><TopicArn>${escapeXml(arn)}</TopicArn></member>`);
      return `<Topics>${members.join('')}</Topics>`;
    }
    case 'ListSubscriptions':
      return '<Subscriptions/>';
    case 'ListSubscriptionsByTopic':
      existingTopic(topics, form.get('TopicArn'));
      return '<Subscriptions/>';
    case 'GetTopicAttributes': {
      const arn = existingTopic(topics, form.get('TopicArn'));
      const attributes: Record<string, string> = {
        TopicArn: arn,
        Owner: ACCOUNT_ID,
        DisplayName: '',
        SubscriptionsConfirmed: '0',
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
      };
      const entries = Object.entries(attributes).map(
        ([key, value]) => `<entry><key>${key}</key><value>${escapeXml(value)}</value></entry>`,
      );
      return `<Attributes>${entries.join('')}</Attributes>`;
    }
    default:
      throw new SnsApiError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service (the local SNS serves Publish, ` +
          'ListTopics, GetTopicAttributes, ListSubscriptions and ListSubscriptionsByTopic).',
      );
  }
}

/** The topic ARN of a request, which must name a topic (SNS: InvalidParameter when missing, NotFound when unknown). */
function existingTopic(topics: SnsTopics, arn: string | null): string {
  if (!arn) {
    throw new SnsApiError('InvalidParameter', 'Invalid parameter: TopicArn Reason: no value for required parameter');
  }
  if (!topics.has(arn)) throw new SnsApiError('NotFound', 'Topic does not exist', 404);
  return arn;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
