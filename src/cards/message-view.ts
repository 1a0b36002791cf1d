/** A short message card: a title, a few lines and optional buttons that send a command (imBack). */
export type MessageTone = 'info' | 'warning' | 'error';

export interface MessageView {
  title: string;
  color: string;
  lines: { text: string }[];
  actions: { title: string; command: string }[];
}

const TONE_COLOR: Record<MessageTone, string> = { info: 'Default', warning: 'Warning', error: 'Attention' };

export function buildMessageView(title: string, lines: readonly string[], actions: readonly { title: string; command: string }[] = [], tone: MessageTone = 'info'): MessageView {
  return { title, color: TONE_COLOR[tone], lines: lines.filter(Boolean).map((text) => ({ text })), actions: actions.slice(0, 5).map((a) => ({ ...a })) };
}
