/**
 * One day of traffic at a time: who writes to whom and when, for every archetype, and which
 * messages their recipients will report. Nothing here is sealed or numbered yet: the runner does
 * that in time order, as the server would (run.ts). A day's events may run past midnight; the
 * runner carries those over.
 */
import type { ReportReason } from '@envelope/protocol';
import type { ScenarioParameters } from './parameters.js';
import type { Plans } from './plans.js';
import { DAY_MS, friendOfFriend, RUN_START_MS, type Population } from './population.js';
import { stream, type Random } from './random.js';
import { EventBuffer, generatedEvent, reasonCode, ROLE_COUPLE, ROLE_HARM, ROLE_NONE, ROLE_TRADE_IMAGE, ROLE_VIRAL, type RoleCode } from './events.js';

export interface GeneratedEvent {
  readonly at: number;
  readonly from: number;
  readonly to: number;
  /** Generation order: breaks ties in time, so the order is the same on every run. */
  readonly order: number;
  /** The recipient will report this message, this long after it arrives. */
  readonly report?: { readonly delayMs: number; readonly reason: ReportReason };
  /**
   * What the message is part of, for the content model only (content.ts; never given to a
   * detector): a harmful actor's activity (the actor's own messages in it are the harmful ones),
   * a viral forward, a teen couple's conversation, or a trader's image.
   */
  readonly role?: 'harm' | 'viral' | 'couple' | 'trade-image';
}


const MINUTE = 60_000;
/** When people write, per hour of the day [assumed]: quiet at night, a peak in the evening; minors less in school hours. */
const ADULT_HOURS = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3, 3, 3, 4, 3, 3, 3, 3, 4, 5, 6, 6, 5, 4, 2];
const MINOR_HOURS = [1, 0.5, 0.2, 0.1, 0.1, 0.2, 0.8, 2, 1, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5, 2, 4, 5, 5, 6, 7, 6, 4, 2];
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const ADULT_TOTAL = sum(ADULT_HOURS);
const MINOR_TOTAL = sum(MINOR_HOURS);

export class TrafficGenerator {
  private order = 0;
  /** The day's rows, reused day after day (events.ts): read them before asking for the next day. */
  private readonly own = new EventBuffer();
  private events = this.own;
  private r!: Random;
  private reports!: Random;
  private readonly drugBuyers = new Map<number, number[]>();
  private role: RoleCode = ROLE_NONE;

  constructor(
    private readonly pop: Population,
    private readonly plans: Plans,
    private readonly p: ScenarioParameters,
  ) {}

  /**
   * Everything generated for day `day` (0-based), one row per envelope in generation order,
   * appended to `into`; by default to the generator's own buffer, cleared first and overwritten by
   * the next call.
   */
  day(day: number, into?: EventBuffer): EventBuffer {
    if (into) this.events = into;
    else (this.events = this.own).clear();
    this.r = stream(this.p.seed, `traffic-${day}`);
    this.reports = stream(this.p.seed, `reports-${day}`);
    const dayStart = RUN_START_MS + day * DAY_MS;
    const { pop } = this;
    for (let id = 0; id < pop.size; id++) {
      const signUp = this.plans.signUp.get(id);
      if (signUp !== undefined) {
        this.role = ROLE_HARM;
        if (signUp >= dayStart && signUp < dayStart + DAY_MS) (pop.kind[id] === 'sextortion' ? this.ringAccount(id, signUp) : this.bot(id, signUp));
        if (pop.kind[id] === 'sextortion' && signUp >= dayStart - DAY_MS && signUp < dayStart && this.r.chance(0.5)) this.ringCampaign(id, this.evening(dayStart));
        continue;
      }
      this.role = ROLE_NONE;
      this.ordinary(id, dayStart);
      const kind = pop.kind[id];
      if (kind === 'coach' && this.r.chance(2 / 7)) this.teamMessage(id, dayStart);
      this.role = ROLE_VIRAL;
      if (kind === 'viral-sharer' && this.plans.viralDay.get(id) === day) this.viralForward(id, dayStart);
      const partner = pop.partner.get(id);
      this.role = ROLE_COUPLE;
      if (partner !== undefined && id < partner && this.r.chance(0.8)) {
        this.conversation(id, partner, dayStart + this.r.int(21 * 60, 24 * 60 - 1) * MINUTE, this.r.int(20, 60), 0.5);
      }
      this.role = ROLE_HARM;
      if (kind === 'drugs') this.drugSales(id, dayStart);
      if (kind === 'known-material' || kind === 'new-material') this.trading(id, dayStart);
    }
    this.role = ROLE_HARM;
    for (const plan of this.plans.grooming) this.grooming(plan, day, dayStart);
    this.role = ROLE_NONE;
    return this.events;
  }

  /** Day `day` as one object per envelope (for readers that want them; the runner reads the rows). */
  dayEvents(day: number): GeneratedEvent[] {
    const rows = this.day(day);
    return Array.from({ length: rows.length }, (_, i) => generatedEvent(rows, i));
  }

  private emit(at: number, from: number, to: number, report?: GeneratedEvent['report'], role: RoleCode = this.role): void {
    this.events.push(at, from, to, role, report ? reasonCode(report.reason) : 0, report ? report.delayMs : 0, this.order++);
  }

  private reportDelay(): number {
    return this.reports.float() * this.p.reportDelayMaxDays * DAY_MS;
  }

  private evening(dayStart: number): number {
    return dayStart + this.r.int(18 * 60, 23 * 60) * MINUTE;
  }

  /** A back-and-forth of `count` envelopes from `at`, `a` first; `switchChance`: the next one comes from the other side. Returns the messages' senders' times. */
  private conversation(a: number, b: number, at: number, count: number, switchChance: number, reportBy?: { reporter: number; reason: ReportReason; delayMs: number }): number {
    let from = a;
    let t = at;
    let reportAt = -1;
    if (reportBy) reportAt = this.r.int(0, count - 1);
    for (let k = 0; k < count; k++) {
      const to = from === a ? b : a;
      const report = reportBy && k >= reportAt && to === reportBy.reporter ? { delayMs: reportBy.delayMs, reason: reportBy.reason } : undefined;
      if (report) reportAt = count; // one reported message
      this.emit(t, from, to, report);
      t += this.r.int(15, 240) * 1000;
      if (this.r.chance(switchChance)) from = to;
    }
    return t;
  }

  private ordinary(id: number, dayStart: number): void {
    const { pop, p, r } = this;
    const joined = pop.createdAt[id]!;
    if (joined >= dayStart + DAY_MS) return;
    const joinDay = joined >= dayStart;
    const sessions = r.poisson(p.sessionsPerUserPerDay * pop.activity[id]! * (joinDay ? 3 : 1));
    const hours = pop.minor[id] === 1 ? MINOR_HOURS : ADULT_HOURS;
    const falseReport = p.falseReportsPerUserPerMonth / 30 / Math.max(0.1, p.sessionsPerUserPerDay);
    for (let s = 0; s < sessions; s++) {
      const hour = r.weighted(hours, pop.minor[id] === 1 ? MINOR_TOTAL : ADULT_TOTAL);
      const at = Math.max(joined, dayStart + hour * 3_600_000 + r.int(0, 3_599_999));
      let partner: number;
      if (r.chance(p.newAcquaintancesPerUserPerDay / Math.max(0.1, p.sessionsPerUserPerDay))) {
        partner = friendOfFriend(pop, r, id);
        if (partner >= 0) {
          pop.contacts[id]!.push(partner);
          pop.contacts[partner]!.push(id);
        }
      } else {
        partner = pop.contacts[id]!.length > 0 ? r.pick(pop.contacts[id]!) : -1;
      }
      const reportDraw = this.reports.float();
      const delayMs = this.reportDelay();
      if (partner < 0 || pop.createdAt[partner]! > at || this.plans.signUp.has(partner)) continue;
      const count = 1 + r.poisson(p.messagesPerSession - 1);
      const reportBy = reportDraw < falseReport ? { reporter: id, reason: 'harassment' as const, delayMs } : undefined;
      this.conversation(id, partner, at, count, 0.55, reportBy);
    }
  }

  /** A coach or teacher writes to the whole team within a minute (one envelope per member); some answer. */
  private teamMessage(coach: number, dayStart: number): void {
    const { r } = this;
    let t = dayStart + r.int(17 * 60, 20 * 60) * MINUTE;
    for (const member of this.pop.team.get(coach) ?? []) {
      this.emit(t, coach, member);
      if (r.chance(0.3)) this.emit(t + r.int(1, 120) * MINUTE, member, coach);
      t += r.int(500, 1500);
    }
  }

  /** One forward of a viral item to up to 40 contacts within a minute or so. */
  private viralForward(id: number, dayStart: number): void {
    const { r } = this;
    let t = dayStart + r.int(8 * 60, 22 * 60) * MINUTE;
    for (const contact of this.pop.contacts[id]!.slice(0, 40)) {
      const reported = this.reports.float() < this.p.viralReportProbability;
      const delayMs = this.reportDelay();
      this.emit(t, id, contact, reported ? { delayMs, reason: 'other' } : undefined);
      if (r.chance(0.15)) this.emit(t + r.int(1, 60) * MINUTE, contact, id);
      t += r.int(500, 2000);
    }
  }

  private drugSales(seller: number, dayStart: number): void {
    const { r, pop } = this;
    const buyers = this.drugBuyers.get(seller) ?? [];
    this.drugBuyers.set(seller, buyers);
    const fresh = r.poisson(3);
    const returning = buyers.length > 0 ? r.poisson(2) : 0;
    for (let k = 0; k < fresh + returning; k++) {
      const isNew = k < fresh;
      // Buyers find the seller through public adverts, so discoverability does not limit them.
      const buyer = isNew ? (r.chance(0.3) && pop.allMinors.length > 0 ? r.pick(pop.allMinors) : r.pick(this.plans.settledAdults)) : r.pick(buyers);
      const reported = this.reports.float() < this.p.buyerReportProbability;
      const delayMs = this.reportDelay();
      if (buyer === seller) continue;
      if (isNew) buyers.push(buyer);
      const reportBy = isNew && reported ? { reporter: buyer, reason: 'other' as const, delayMs } : undefined;
      this.conversation(buyer, seller, dayStart + r.int(12 * 60, 23 * 60) * MINUTE, r.int(2, 8), 0.6, reportBy);
    }
  }

  /** A trader's evening: images to some of the circle, and a short exchange around them (reports: none; the circle is closed). */
  private trading(trader: number, dayStart: number): void {
    const { r } = this;
    const circle = this.pop.circle.get(trader) ?? [];
    const images = r.poisson(this.p.traderImagesPerDay);
    if (circle.length === 0 || images === 0) return;
    let t = dayStart + r.int(20 * 60, 23 * 60 + 30) * MINUTE;
    for (let k = 0; k < images; k++) {
      const peer = r.pick(circle);
      this.emit(t, trader, peer, undefined, ROLE_TRADE_IMAGE);
      if (r.chance(0.5)) this.emit(t + r.int(1, 10) * MINUTE, peer, trader);
      t += r.int(1, 15) * MINUTE;
    }
  }

  private ringAccount(id: number, signUp: number): void {
    this.ringCampaign(id, signUp + this.r.int(10, 60) * MINUTE);
  }

  /** One evening of a ring account: openers to 20-50 targets in bursts; those who answer are drawn in, then threatened. */
  private ringCampaign(id: number, start: number): void {
    const { r, p, plans } = this;
    const anyone = p.discoverability === 'anyone';
    const teens = anyone ? plans.teens : plans.harvestedTeens;
    const adults = anyone ? plans.settledAdults : plans.harvestedAdults;
    const targets = r.int(20, 50);
    let t = start;
    for (let k = 0; k < targets; k++) {
      if (k > 0 && k % r.int(5, 15) === 0) t += r.int(5, 20) * MINUTE; // a pause between bursts
      const minorTarget = r.chance(p.sextortionTargetsMinorShare);
      const pool = minorTarget ? teens : adults;
      const reportDraw = this.reports.float();
      const delayMs = this.reportDelay();
      if (pool.length === 0) continue;
      const target = r.pick(pool);
      this.emit(t, id, target);
      if (r.chance(0.5)) this.emit(t + r.int(2, 5) * MINUTE, id, target);
      if (r.chance(p.sextortionReplyProbability)) {
        const reportP = this.pop.minor[target] === 1 ? p.victimReportProbability : p.adultTargetReportProbability;
        const talk = t + r.int(2, 30) * MINUTE;
        // Rapport and the image request within about two hours, then the threat and the demand.
        const threat = this.conversation(target, id, talk, r.int(6, 12), 0.6) + r.int(10, 60) * MINUTE;
        const report = reportDraw < reportP ? { reporter: target, reason: 'threat' as const, delayMs } : undefined;
        this.conversation(id, target, threat, r.int(10, 25), 0.1, report);
      }
      t += r.int(20, 60) * 1000;
    }
  }

  private bot(id: number, signUp: number): void {
    const { r, p, plans } = this;
    const pool = p.discoverability === 'anyone' ? plans.settledAdults.concat(plans.teens) : plans.harvestedAdults.concat(plans.harvestedTeens);
    let t = signUp + r.int(2, 30) * MINUTE;
    const bursts = r.int(1, 4);
    for (let b = 0; b < bursts && pool.length > 0; b++) {
      const size = r.int(50, 150);
      for (let k = 0; k < size; k++) {
        const to = r.pick(pool);
        const reported = this.reports.float() < p.spamReportProbability;
        const delayMs = this.reportDelay();
        this.emit(t, id, to, reported ? { delayMs, reason: 'spam' } : undefined);
        if (r.chance(0.02)) this.emit(t + r.int(1, 60) * MINUTE, to, id);
        t += r.int(400, 1200);
      }
      t += r.int(60, 360) * MINUTE;
    }
  }

  private grooming(plan: import('./plans.js').GroomingPlan, day: number, dayStart: number): void {
    const { r } = this;
    if (day < plan.contactDay || day > plan.endDay) return;
    const at = dayStart + r.int(19 * 60, 23 * 60 + 30) * MINUTE;
    if (day === plan.contactDay) {
      this.emit(at, plan.groomer, plan.victim);
      if (plan.engaged) this.conversation(plan.victim, plan.groomer, at + r.int(1, 20) * MINUTE, r.int(4, 10), 0.55);
      return;
    }
    if (!plan.engaged) {
      this.emit(at, plan.groomer, plan.victim); // follow-ups nobody answers
      return;
    }
    const report = day === plan.escalationDay && plan.reported ? { reporter: plan.victim, reason: 'child-safety' as const, delayMs: plan.reportDelayMs } : undefined;
    this.conversation(plan.groomer, plan.victim, at, r.int(10, 40), 0.45, report);
  }
}
