/**
 * What a person reads on a card, and the checks every card's text must pass: no raw codes up front (`GRAPH.NOT_FOUND`,
 * `NEW_CREDENTIAL`: jargon belongs behind "Show details"), no word cut in two ("'Micr…"), every chart with a
 * fallback. Reusable for any card: pass the rendered JSON. Hidden elements (isVisible false: the details a toggle
 * shows) are not read as "up front"; a chart is read by its fallback, which is what a host without charts shows.
 */
import type { CardJson } from '../../src/cards/card';

/** An internal code: upper-case words joined by underscores (the stable error and warning codes). */
export const RAW_CODE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** An ellipsis right after a letter or digit: a word cut in two. */
export const MID_WORD_CUT = /[\p{L}\p{N}]…/u;

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => Boolean(value) && typeof value === 'object' && !Array.isArray(value);

function textsOf(node: Node): string[] {
  const out: string[] = [];
  if (typeof node.text === 'string' && (node.type === 'TextBlock' || node.type === 'TextRun')) out.push(node.text);
  if (node.type === 'FactSet' && Array.isArray(node.facts)) for (const f of node.facts as Node[]) out.push(`${String(f.title)}: ${String(f.value)}`);
  if (typeof node.type === 'string' && node.type.startsWith('Action.') && typeof node.title === 'string') out.push(node.title);
  if (typeof node.type === 'string' && node.type.startsWith('Chart.')) {
    for (const key of ['title', 'xAxisTitle', 'yAxisTitle']) if (typeof node[key] === 'string') out.push(node[key] as string);
  }
  return out;
}

/** The card's texts a person sees without tapping anything, in document order (charts by their fallback). */
export function visibleTexts(card: CardJson): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isNode(value) || value.isVisible === false) return;
    out.push(...textsOf(value));
    for (const [key, child] of Object.entries(value)) {
      // A chart's data is drawn, not read; its fallback is what a host without charts shows, so it is read instead.
      if (typeof value.type === 'string' && value.type.startsWith('Chart.') && key === 'data') continue;
      if (key === 'selectAction' || key === 'data') continue;
      walk(child);
    }
  };
  walk(card);
  return out;
}

/** Raw codes a person would see up front; empty when there are none. */
export function rawCodesIn(card: CardJson): string[] {
  return visibleTexts(card).flatMap((text) => text.match(RAW_CODE) ?? []);
}

/** Texts that end a word with "…" (cut mid-word); empty when every cut falls between words. */
export function midWordCutsIn(card: CardJson): string[] {
  return visibleTexts(card).filter((text) => MID_WORD_CUT.test(text));
}

/** Chart elements without a fallback: a host that does not draw charts would show nothing there. */
export function chartsWithoutFallback(card: CardJson): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isNode(value)) return;
    if (typeof value.type === 'string' && value.type.startsWith('Chart.') && !isNode(value.fallback)) out.push(value.type);
    Object.values(value).forEach(walk);
  };
  walk(card);
  return out;
}

/** All three checks at once, as one list of problems (for `expect(...).toEqual([])`). */
export function cardTextProblems(card: CardJson): string[] {
  return [
    ...rawCodesIn(card).map((code) => `raw code up front: ${code}`),
    ...midWordCutsIn(card).map((text) => `cut mid-word: ${text.slice(Math.max(0, text.indexOf('…') - 40), text.indexOf('…') + 1)}`),
    ...chartsWithoutFallback(card).map((type) => `${type} without a fallback`),
  ];
}

/**
 * Card heights at Teams' chat width, as the Agents Playground draws them (a card there is 446 CSS px wide). A chat
 * opens at a card's end: a card taller than about one screen has its beginning scrolled away. The welcome is the
 * first thing a person sees, so it must fit a small window whole.
 */
export const CARD_HEIGHT_BUDGET_PX = { welcome: 500, default: 1_200 } as const;
