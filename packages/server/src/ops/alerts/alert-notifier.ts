import { Counter, type Registry } from 'prom-client';
import type { Database } from '../../db/client.js';
import { type AlertMessageInput, alertMessageText, alertWebhookBody } from './alert-message.js';
import { type AlertEventRow, insertAlertEvent } from './alert-store.js';
import type { AlertWebhook } from './alert-webhook.js';

export const NO_WEBHOOK = "no webhook: set the rule's webhookUrl or ALERT_WEBHOOK_URL";

/** The outcome of one notification: its recorded event, and whether a webhook was tried. */
export type Notification = { event: AlertEventRow; attempted: boolean };

/**
 * Sends a rule's message to its webhook (or the server's ALERT_WEBHOOK_URL) and records the outcome
 * as an alert event, whether it was delivered, failed, or held back.
 */
export class AlertNotifier {
  readonly #db: Database;
  readonly #webhook: AlertWebhook;
  readonly #defaultWebhookUrl: string | undefined;
  readonly #sent: Counter<'kind' | 'outcome'>;

  constructor(options: {
    db: Database;
    webhook: AlertWebhook;
    defaultWebhookUrl: string | undefined;
    registry: Registry;
  }) {
    this.#db = options.db;
    this.#webhook = options.webhook;
    this.#defaultWebhookUrl = options.defaultWebhookUrl;
    this.#sent = new Counter({
      name: 'switchyard_alert_notifications_total',
      help: 'Alert notifications by kind (firing, resolved, test) and outcome (delivered, failed, withheld, no_webhook)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [options.registry],
    });
  }

  /** `withheld` is why nothing is sent (the cool-down): the event is recorded all the same. */
  async notify(options: {
    message: AlertMessageInput;
    webhookUrl: string | null;
    withheld?: string;
  }): Promise<Notification> {
    const { message } = options;
    const url = options.webhookUrl ?? this.#defaultWebhookUrl;
    const record = (delivery: { delivered: boolean | null; deliveryError: string | null }) =>
      insertAlertEvent(this.#db, {
        orgId: message.org.id,
        ruleId: message.rule.id,
        kind: message.kind,
        value: message.value,
        message: alertMessageText(message),
        ...delivery,
        createdAt: message.now,
      });
    if (options.withheld) {
      this.#sent.inc({ kind: message.kind, outcome: 'withheld' });
      return { event: await record({ delivered: null, deliveryError: options.withheld }), attempted: false };
    }
    if (!url) {
      this.#sent.inc({ kind: message.kind, outcome: 'no_webhook' });
      return { event: await record({ delivered: null, deliveryError: NO_WEBHOOK }), attempted: false };
    }
    const outcome = await this.#webhook.deliver({
      url,
      fromTenant: options.webhookUrl !== null,
      body: alertWebhookBody(message),
      context: { ruleId: message.rule.id, orgId: message.org.id, kind: message.kind },
    });
    this.#sent.inc({ kind: message.kind, outcome: outcome.delivered ? 'delivered' : 'failed' });
    const event = await record(
      outcome.delivered ? { delivered: true, deliveryError: null } : { delivered: false, deliveryError: outcome.error },
    );
    return { event, attempted: true };
  }
}
