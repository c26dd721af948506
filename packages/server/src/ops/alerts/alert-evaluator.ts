import { and, eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { alertRules, organizations } from '../../db/schema.js';
import type { SpendReader } from '../../gateway/index.js';
import { type Measurement, measureCondition } from './alert-conditions.js';
import type { AlertMessageInput } from './alert-message.js';
import type { AlertNotifier } from './alert-notifier.js';
import type { AlertEventRow, AlertRuleRow } from './alert-store.js';

export const SUPPRESSED_BY_COOL_DOWN = 'suppressed by cool-down';
export const RESOLVED_NOT_SENT = 'not sent: the firing notification of this incident was not sent either';

const DEFAULT_INTERVAL_MS = 60_000;
// Rules measured at once: enough that one slow webhook does not hold up the rest, few enough for a small pool.
const CONCURRENCY = 4;

type Org = { id: string; name: string; slug: string };

/**
 * Evaluates every enabled rule of every org on a timer. Per rule: ok → firing when the condition
 * holds (one message per incident, held back within the cool-down of the rule's last message),
 * firing → ok when it stops holding (a resolved message, when the firing one was sent). Each
 * transition is a conditional UPDATE, so of several replicas evaluating at once only the one whose
 * update wins sends the message.
 */
export class AlertEvaluator {
  readonly #db: Database;
  readonly #limits: SpendReader;
  readonly #notifier: AlertNotifier;
  readonly #clock: Clock;
  readonly #log: Pick<FastifyBaseLogger, 'error'>;
  readonly #publicUrl: string | undefined;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: {
    db: Database;
    limits: SpendReader;
    notifier: AlertNotifier;
    clock: Clock;
    log: Pick<FastifyBaseLogger, 'error'>;
    publicUrl: string | undefined;
    intervalMs?: number;
  }) {
    this.#db = options.db;
    this.#limits = options.limits;
    this.#notifier = options.notifier;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#publicUrl = options.publicUrl;
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  start(): void {
    this.#timer = setInterval(() => {
      // A pass still running (slow webhooks) is not overlapped; the next tick catches up.
      if (this.#running) return;
      this.#running = this.evaluateAll(new Date(this.#clock.now()))
        .catch((error) => this.#log.error({ err: error }, 'evaluating alert rules failed'))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a pass in progress, so its messages are sent and recorded. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every enabled rule; a rule that fails is logged and the others go on. */
  async evaluateAll(now: Date): Promise<void> {
    const rows = await this.#db
      .select({ rule: alertRules, org: { id: organizations.id, name: organizations.name, slug: organizations.slug } })
      .from(alertRules)
      .innerJoin(organizations, eq(organizations.id, alertRules.orgId))
      .where(eq(alertRules.enabled, true));
    for (let index = 0; index < rows.length; index += CONCURRENCY) {
      await Promise.all(
        rows
          .slice(index, index + CONCURRENCY)
          .map(({ rule, org }) =>
            this.#evaluate(rule, org, now).catch((error) =>
              this.#log.error({ err: error, ruleId: rule.id, orgId: org.id }, 'evaluating an alert rule failed'),
            ),
          ),
      );
    }
  }

  /** Sends a test message for the rule now, with what it measures at the moment; cool-down and state stay. */
  async sendTest(rule: AlertRuleRow, org: Org, now: Date): Promise<AlertEventRow> {
    const measured = await this.#measure(rule, now).catch(
      (): Measurement => ({ value: null, breached: false, summary: 'It could not be measured just now.' }),
    );
    const { event } = await this.#notifier.notify({
      message: {
        ...this.#message({ kind: 'test', rule, org, measured, now }),
        summary: `Now: ${measured.summary}.`,
        firingSince: rule.state === 'firing' ? rule.firingSince : null,
      },
      webhookUrl: rule.webhookUrl,
    });
    return event;
  }

  #measure(rule: AlertRuleRow, now: Date): Promise<Measurement> {
    return measureCondition({ db: this.#db, limits: this.#limits, orgId: rule.orgId, condition: rule.condition, now });
  }

  #message(options: {
    kind: AlertMessageInput['kind'];
    rule: AlertRuleRow;
    org: Org;
    measured: Measurement;
    now: Date;
  }): AlertMessageInput {
    return {
      kind: options.kind,
      rule: options.rule,
      org: options.org,
      summary: options.measured.summary,
      value: options.measured.value,
      firingSince: options.rule.firingSince,
      now: options.now,
      publicUrl: this.#publicUrl,
    };
  }

  async #evaluate(rule: AlertRuleRow, org: Org, now: Date): Promise<void> {
    const measured = await this.#measure(rule, now);
    const ofThisRule = and(eq(alertRules.orgId, rule.orgId), eq(alertRules.id, rule.id));
    const observed = { lastValue: measured.value, lastEvaluatedAt: now };
    const transitionTo = measured.breached ? 'firing' : 'ok';
    if (transitionTo === rule.state) {
      await this.#db.update(alertRules).set(observed).where(ofThisRule);
      return;
    }
    // Only the replica whose update finds the old state makes the transition, and sends its message.
    const [won] = await this.#db
      .update(alertRules)
      .set({ ...observed, state: transitionTo, ...(transitionTo === 'firing' ? { firingSince: now } : {}) })
      .where(and(ofThisRule, eq(alertRules.state, rule.state)))
      .returning();
    if (!won) return;

    let withheld: string | undefined;
    if (transitionTo === 'firing') {
      const sinceLastMessageMs = won.lastNotifiedAt
        ? now.getTime() - won.lastNotifiedAt.getTime()
        : Number.POSITIVE_INFINITY;
      // A cool-down of 0 never holds back, even when replicas' clocks disagree by a little.
      if (won.cooldownMinutes > 0 && sinceLastMessageMs < won.cooldownMinutes * 60_000)
        withheld = SUPPRESSED_BY_COOL_DOWN;
    } else {
      // A resolved message only closes an incident whose firing message went out.
      const firingWasSent = won.lastNotifiedAt && won.firingSince && won.lastNotifiedAt >= won.firingSince;
      if (!firingWasSent) withheld = RESOLVED_NOT_SENT;
    }
    const { attempted } = await this.#notifier.notify({
      message: this.#message({
        kind: transitionTo === 'firing' ? 'firing' : 'resolved',
        rule: won,
        org,
        measured,
        now,
      }),
      webhookUrl: won.webhookUrl,
      withheld,
    });
    if (attempted) await this.#db.update(alertRules).set({ lastNotifiedAt: now }).where(ofThisRule);
  }
}
