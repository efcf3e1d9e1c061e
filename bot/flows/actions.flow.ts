/** `åtgärder` / `actions`: the channel's team's actions in the plan, with owner, timeline or due date, goal and status (paged). */
import { actionRowView, isRetired } from '../../domain/actions/action';
import { CardFactory } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { actionListCard, type ActionListView } from '../../cards/actions/list.card';
import { actionsPagePayload, VERBS } from '../../cards/verbs';
import { t } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import { localDate } from '../../domain/time';
import type { Action, Program } from '../../domain/types';
import { onCardAction, refuse } from '../card-actions';
import { command } from '../command-route';
import type { BotDeps } from '../deps';
import { bindingOf, localeOf } from '../turn';
import { describeRole } from './help.flow';

function actionListView(program: Program, teamKey: string, actions: Action[], today: string): ActionListView {
  return {
    teamKey,
    teamName: teamName(program, teamKey),
    // A retired action left the plan in a revision: it stays in the log and the exports, not here.
    actions: actions
      .filter((a) => !isRetired(a))
      .sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id.localeCompare(b.id))
      .map((a) => actionRowView(a, today)),
  };
}

async function teamActionsView(deps: BotDeps, teamKey: string): Promise<ActionListView> {
  const actions = await deps.repos.actions.listByTeam(deps.program.id, teamKey);
  return actionListView(deps.program, teamKey, actions, localDate(deps.clock.now(), deps.program.timezone));
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(command('actions'), async (context) => {
    const locale = localeOf(context, deps.program);
    const binding = await bindingOf(context, deps);
    if (!binding) {
      await context.sendActivity(t(locale, 'actions.unbound'));
      return;
    }
    if (binding.role.kind !== 'team') {
      await context.sendActivity(t(locale, 'actions.notTeam', { role: describeRole(binding.role, deps.program, locale) }));
      return;
    }
    const view = await teamActionsView(deps, binding.role.teamKey);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(actionListCard(view, locale))] });
  });

  onCardAction(app, deps, VERBS.actionsPage, actionsPagePayload, async (context, data) => {
    const locale = localeOf(context, deps.program);
    if (!deps.program.teams.some((x) => x.key === data.teamKey)) {
      return refuse(t(locale, 'error.notFound', { what: data.teamKey }), locale);
    }
    return actionListCard(await teamActionsView(deps, data.teamKey), locale, data.page);
  });
}
