/**
 * A person's sign-in names (UPN, mail) from their Entra object id. Azure DevOps finds people by those, not by the
 * object id ([infer], docs/policy.md); the role adapter still verifies every hit against the object id, so a name
 * only narrows the search, it never lets someone else through.
 */
export interface SignInNameSource {
  namesOf(aadObjectId: string): Promise<string[]>;
}

/** A fixed directory: local mode's demo people and the tests' (object id → names). */
export class InMemorySignInNames implements SignInNameSource {
  private readonly names: Map<string, readonly string[]>;

  constructor(byObjectId: Record<string, readonly string[]>) {
    this.names = new Map(Object.entries(byObjectId).map(([id, names]) => [id.toLowerCase(), names]));
  }

  namesOf(aadObjectId: string): Promise<string[]> {
    return Promise.resolve([...(this.names.get(aadObjectId.toLowerCase()) ?? [])]);
  }
}
