/**
 * A short message card: a title, a few lines and optional buttons that send a command. Title and lines are
 * markdown the caller wrote: outside text in them went through outsideText (outside-text.ts) where it was put in.
 */
import type { CommandButton } from '../domain/command-line';
import type { CardView, Reply } from './card';
import { commandAction, type CardAction } from './command-action';
import { cardText, TONE_ICON } from './format';

export type MessageTone = 'info' | 'warning' | 'error';

export interface MessageView {
  title: string;
  /** The container style: emphasis by background, the text stays the theme's default colour (readable). */
  style: string;
  lines: { text: string }[];
  actions: CardAction[];
}

const TONE_STYLE: Record<MessageTone, string> = { info: 'default', warning: 'warning', error: 'attention' };
const TONE_TITLE_ICON: Record<MessageTone, string> = { info: '', warning: `${TONE_ICON.warning} `, error: `${TONE_ICON.critical} ` };
/** Bounds that keep the worst case (every field full of 4-byte characters) well under Teams' ~28 KB. */
const TITLE_MAX = 200;
const LINES_MAX = 6;
const LINE_MAX = 500;
const ACTIONS_MAX = 5;

export function buildMessageView(title: string, lines: readonly string[], actions: readonly CommandButton[] = [], tone: MessageTone = 'info'): MessageView {
  return {
    title: `${TONE_TITLE_ICON[tone]}${cardText(title, TITLE_MAX)}`,
    style: TONE_STYLE[tone],
    lines: lines.filter(Boolean).slice(0, LINES_MAX).map((text) => ({ text: cardText(text, LINE_MAX) })),
    actions: actions.slice(0, ACTIONS_MAX).map(commandAction),
  };
}

/** The message card as a value (the presenter renders it). */
export function messageCard(title: string, lines: readonly string[], actions: readonly CommandButton[] = [], tone: MessageTone = 'info'): CardView {
  return { template: 'message', model: buildMessageView(title, lines, actions, tone) };
}

/** A short answer: the message card, with its title and lines as the summary text. */
export function messageReply(title: string, lines: readonly string[], actions: readonly CommandButton[] = [], tone: MessageTone = 'info'): Reply {
  return { kind: 'card', text: [title, ...lines].filter(Boolean).join(' '), view: messageCard(title, lines, actions, tone) };
}

/** The usual "I can't …" answer: a warning-toned message card. */
export function warningReply(title: string, lines: readonly string[], actions: readonly CommandButton[] = []): Reply {
  return messageReply(title, lines, actions, 'warning');
}
