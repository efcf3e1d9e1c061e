/**
 * `admin` (who the program admins are), `admin lägg till <e-post | objekt-id | @namn>` and
 * `admin ta bort <e-post | namn>` (English: `admin add`, `admin remove`). Anyone may list; only a
 * program admin adds or removes, and each change is logged.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { escapeCardText } from '../../cards/card';
import { addAdmin, removeAdmin } from '../../domain/access';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { accessDeps, adminList, assertAdmin } from '../roles';
import { actorOf, localeOf } from '../turn';

const ADD = /^(lägg till|lagg till|add)\b\s*/i;
const REMOVE = /^(ta bort|remove|delete)\b\s*/i;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

interface Person {
  id: string;
  name?: string;
}

/** The person named after the verb: an @mention (looked up for their object id), a UPN or an object id. */
async function personNamed(context: TurnContext, rest: string): Promise<Person | 'lookupFailed' | undefined> {
  const botId = context.activity.recipient?.id;
  const mention = (context.activity.entities ?? []).find(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id !== botId,
  ) as { mentioned?: { id?: string; name?: string } } | undefined;
  if (mention?.mentioned?.id) {
    try {
      const member = await TeamsInfo.getMember(context, mention.mentioned.id);
      const id = member.aadObjectId ?? member.userPrincipalName;
      return id ? { id, name: member.name ?? mention.mentioned.name } : 'lookupFailed';
    } catch {
      return 'lookupFailed';
    }
  }
  const word = rest.trim();
  if (OBJECT_ID.test(word) || UPN.test(word)) return { id: word.toLowerCase() };
  return undefined;
}

async function add(context: TurnContext, deps: BotDeps, locale: Locale, rest: string): Promise<string> {
  await assertAdmin(context, deps, locale);
  const person = await personNamed(context, rest);
  if (person === 'lookupFailed') return t(locale, 'admin.lookupFailed');
  if (!person) return t(locale, 'admin.badTarget', { value: escapeCardText(rest.slice(0, 80)) });
  const by = actorOf(context);
  const outcome = await addAdmin(
    accessDeps(deps),
    { id: person.id, name: person.name, addedBy: by.aadObjectId ?? by.id },
    context.activity.id ?? person.id,
  );
  const who = escapeCardText(person.name ?? person.id);
  deps.logger.info({ outcome, by: by.aadObjectId ?? by.id }, 'program admin added');
  return t(locale, outcome === 'added' ? 'admin.added' : 'admin.already', { who });
}

async function remove(context: TurnContext, deps: BotDeps, locale: Locale, rest: string): Promise<string> {
  await assertAdmin(context, deps, locale);
  const person = await personNamed(context, rest);
  if (person === 'lookupFailed') return t(locale, 'admin.lookupFailed');
  const target = person?.id ?? rest.trim();
  if (!target) return t(locale, 'admin.usage');
  const by = actorOf(context);
  const { outcome, entry } = await removeAdmin(
    accessDeps(deps),
    target,
    by.aadObjectId ?? by.id,
    context.activity.id ?? target,
  );
  const who = escapeCardText((entry?.name ?? person?.name ?? target).slice(0, 80));
  deps.logger.info({ outcome, by: by.aadObjectId ?? by.id }, 'program admin removal');
  const key = (
    {
      removed: 'admin.removed',
      configured: 'admin.configuredOnly',
      notGiven: 'admin.notGiven',
      last: 'admin.last',
    } as const
  )[outcome];
  return t(locale, key, { who });
}

async function admin(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  const args = argsOf(context);
  let reply: string;
  if (ADD.test(args)) reply = await add(context, deps, locale, args.replace(ADD, ''));
  else if (REMOVE.test(args)) reply = await remove(context, deps, locale, args.replace(REMOVE, ''));
  else if (!args || /^(lista|list|visa|show)$/i.test(args))
    reply = t(locale, 'admin.list', { admins: await adminList(deps, locale) });
  else reply = t(locale, 'admin.usage');
  await context.sendActivity(reply);
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(command('admin'), (context) => admin(context, deps));
}
