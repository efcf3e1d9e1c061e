/**
 * Who may do what, by name: the roles named in the program file or the environment (program
 * admins, steering members), as Entra object ids or UPNs.
 */

/** What the bot layer knows, or can find out, about the person acting. */
export interface RoleIdentity {
  aadObjectId?: string;
  /** UPN and e-mail of the person; looked up only when someone is named by UPN. */
  names(): Promise<string[]>;
}

/**
 * Whether the person is among `named` (object ids or UPNs, any case). The object id on the
 * activity is compared first; the roster is asked for UPN and e-mail only when a UPN is named.
 */
export async function isNamed(named: readonly string[], who: RoleIdentity): Promise<boolean> {
  const list = named.map((m) => m.trim().toLowerCase()).filter((m) => m.length > 0);
  if (list.length === 0) return false;
  if (who.aadObjectId && list.includes(who.aadObjectId.trim().toLowerCase())) return true;
  if (!list.some((m) => m.includes('@'))) return false;
  const names = (await who.names()).map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0);
  return names.some((n) => list.includes(n));
}
