/** `hjälp` / `help`, and the "did not understand" answer for anything else (registered last). */
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { helpCard } from '../../cards/help.card';
import { cleanMessageText } from '../../domain/commands';
import { t } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import type { ChannelRole, Locale, Program } from '../../domain/types';
import { command } from '../command-route';
import type { BotDeps } from '../deps';
import { adminList } from '../roles';
import { bindingOf, localeOf } from '../turn';

export function describeRole(role: ChannelRole, program: Program, locale: Locale): string {
  if (role.kind === 'comms') return t(locale, 'role.comms');
  if (role.kind === 'steering') return t(locale, 'role.steering');
  return t(locale, 'role.team', { team: teamName(program, role.teamKey) });
}

async function sendHelp(context: TurnContext, deps: BotDeps, notice?: string): Promise<void> {
  const locale = localeOf(context, deps.program);
  const [binding, admins] = await Promise.all([bindingOf(context, deps), adminList(deps, locale)]);
  const card = helpCard(
    {
      boundTo: binding ? describeRole(binding.role, deps.program, locale) : undefined,
      teams: deps.program.teams.map((x) => x.name),
      admins,
    },
    locale,
    notice,
  );
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(command('help'), async (context) => {
    await sendHelp(context, deps);
  });
}

/** Registered after every other flow: any message nobody handled gets an answer, never silence. */
export function registerFallback(app: Application<TurnState>, deps: BotDeps): void {
  app.activity('message', async (context) => {
    const locale = localeOf(context, deps.program);
    const said = cleanMessageText(context.activity.text ?? '').slice(0, 80);
    // The notice is a TextRun (never Markdown): what was typed comes back as text, never a link in the bot's voice.
    await sendHelp(context, deps, t(locale, 'unknown.text', { text: said || '…' }));
  });
}
