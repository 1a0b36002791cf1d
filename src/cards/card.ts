/**
 * The chat vocabulary every layer shares, with no rendering in it: use cases answer with these values and the
 * presenter (src/cards/presenter.ts) is the one place that turns them into Adaptive Card JSON and text.
 */

/** A rendered Adaptive Card (plain JSON, ready to be an attachment). */
export type CardJson = Record<string, unknown>;

/** The templates in cards/*.json, one per view; each is filled by the pure src/cards/<name>-view.ts of that name. */
export const CARD_TEMPLATES = ['connection-list', 'connection-detail', 'connection-access', 'help', 'message', 'plan-preview', 'audit', 'alert', 'alert-list', 'alert-status', 'health', 'form'] as const;
export type CardTemplateName = (typeof CARD_TEMPLATES)[number];

/** A card as a value: which template, and the view model that fills it. */
export interface CardView {
  template: CardTemplateName;
  model: object;
}

/** A message as a value: its one-line summary (notification preview, fallback text) and its card. */
export interface CardMessage {
  text: string;
  view: CardView;
}

/**
 * What a command (or any use case) answers in chat. `update`: a better answer on its way (an org-wide list answered
 * from the inventory while it is refreshed): once it resolves to a message, the bot replaces the card it posted
 * with it, in place. It never rejects; undefined means the card stands.
 */
export type Reply = { kind: 'text'; text: string } | ({ kind: 'card' } & CardMessage & { update?: Promise<CardMessage | undefined> });

/**
 * The Action.Execute verb of every button that runs a chat command (`data: { command }`). Universal Actions, not
 * Action.Submit + imBack: the Agents Playground throws on imBack/messageBack (`Cannot add property msTeams`), and
 * Teams documents Action.Execute (cards ≥ 1.4) on desktop, web and mobile, with the tapper's identity on the invoke
 * (msteams-docs Universal-Actions-for-Adaptive-Cards/Overview.md). The bot runs the command as the tapper and posts
 * the answer as a new message, exactly as if it had been typed; the tapped card stays as it was.
 */
export const COMMAND_VERB = 'command';
