import { readFileSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';
import type { CardJson, CardTemplateName } from './card';

export { CARD_TEMPLATES, type CardTemplateName } from './card';

/** Templates are data beside the code (cards/), read once: a designer can edit them without touching TypeScript. */
export const CARDS_DIR = new URL('../../cards/', import.meta.url);

const templates = new Map<CardTemplateName, ACData.Template>();

export function readTemplate(name: CardTemplateName): CardJson {
  return JSON.parse(readFileSync(new URL(`${name}.json`, CARDS_DIR), 'utf8')) as CardJson;
}

function template(name: CardTemplateName): ACData.Template {
  let found = templates.get(name);
  if (!found) {
    found = new ACData.Template(readTemplate(name));
    templates.set(name, found);
  }
  return found;
}

/** Expand a template with a view model built by one of the pure *-view.ts functions. */
export function renderCard(name: CardTemplateName, view: object): CardJson {
  const card = template(name).expand({ $root: view }) as CardJson;
  // A top-level member whose `$when` is false expands to null (e.g. plan-preview's refresh): drop it.
  for (const [key, value] of Object.entries(card)) if (value === null) delete card[key];
  return card;
}
