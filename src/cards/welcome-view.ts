/**
 * The welcome: what the bot is for, what it watches, what is wrong right now (from the radar's last scan) and four
 * ways to start. Short on purpose: it is the first thing a person sees, in a personal chat or a team channel alike,
 * and the chat opens at its end; the full command list is one tap away ("All commands").
 */
import type { Finding } from '../domain/findings';
import type { Reply } from './card';
import { countsByKind } from './alert-view';
import { ALERTS_HERE, HEALTH, WHATS_BROKEN } from './help-view';
import { messageCard } from './message-view';
import { formatUtc, TONE_ICON } from './format';
import { outsideText } from './outside-text';

export interface WelcomeInput {
  /** personal, channel or groupChat (Teams' conversationType). */
  conversationType: string;
  /** Configured projects; empty means every project the bot's identity can see. */
  projects: readonly string[];
  /** Whether this conversation already gets alerts. */
  alertsOn: boolean;
  lastScan?: { startedAt: string; ok: boolean; findings: readonly Finding[] };
  /** The radar's records could not be read: the welcome cannot say what is wrong, only where to look. */
  statusUnknown?: boolean;
}

function watching(projects: readonly string[]): string {
  const where = projects.length ? `the service connections of ${outsideText(projects.join(', '), 200)}` : 'every Azure DevOps service connection I can see';
  return `I watch ${where}: failed ones, secrets about to expire, unused ones, and the issuer that stops working on 2027-07-01.`;
}

function rightNow(scan: WelcomeInput['lastScan'], unknown: boolean): string {
  if (unknown) return 'I cannot read my last scan right now: tap **What\'s broken** for the failed connections.';
  if (!scan) return 'I have not scanned yet: tap **What\'s broken** for the failed connections right now.';
  const when = formatUtc(scan.startedAt) ?? scan.startedAt;
  if (!scan.ok) return `${TONE_ICON.warning} My last scan (${when}) could not read Azure DevOps: tap **Health** for what I knew before.`;
  const counts = countsByKind(scan.findings);
  return counts ? `Right now (scan of ${when}): ${counts}.` : `${TONE_ICON.good} Nothing wrong as of my scan of ${when}.`;
}

export function welcomeReply(input: WelcomeInput): Reply {
  const channel = input.conversationType === 'channel' || input.conversationType === 'groupChat';
  const lines = [
    watching(input.projects),
    rightNow(input.lastScan, input.statusUnknown === true),
    'I change nothing on my own: every fix is a preview first, and a second person approves it.',
    ...(channel ? ['Here, mention me first: **@scbot list failed**.'] : []),
  ];
  // Already on here: the same button shows what the alerts watch instead of turning them on again.
  const alerts = input.alertsOn ? { ...ALERTS_HERE, command: 'alerts status' } : ALERTS_HERE;
  const actions = [WHATS_BROKEN, HEALTH, alerts, { title: 'All commands', command: 'help' }];
  const view = messageCard('Hi! I keep your Azure DevOps service connections healthy.', lines, actions);
  return { kind: 'card', text: 'Hi! I keep your Azure DevOps service connections healthy. Say `list failed` to see what is broken, or `help` for everything I can do.', view };
}
