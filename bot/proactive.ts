import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

/**
 * A proactive turn (continueConversationAsync) whose failure reaches the caller. Without this, an error inside
 * the turn goes to the adapter's onTurnError, which posts an apology into the conversation and swallows it:
 * a refused alert would look delivered, and the apology itself would land where the alert could not.
 */
export async function proactively(adapter: CloudAdapter, appId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | undefined;
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}
