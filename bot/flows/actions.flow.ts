/**
 * Actions in Teams: `åtgärder` / `actions`, the channel's team's actions in the plan with owner,
 * timeline or due date, goal and status (paged); and adding or editing an action from the list's
 * buttons. `register()` is the table of what this flow answers; each entry names its handler below.
 */
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import {
  actionEditCard,
  actionListCard,
  actionSavedCard,
  type ActionEditView,
  type ActionListView,
} from '../../cards/actions';
import {
  ACTION_EDIT_INPUTS,
  actionEditOpenPayload,
  actionEditSavePayload,
  actionsPagePayload,
  VERBS,
} from '../../cards/verbs';
import {
  ACTION_EDIT_LIMITS,
  ActionService,
  actionRowView,
  byDueThenId,
  isRetired,
  type ActionFormValues,
  type SaveActionOutcome,
} from '../../domain/actions';
import { problemsText } from '../../domain/card-input';
import { t, type TextKey } from '../../domain/i18n';
import { teamName } from '../../domain/program';
import { isValidDate, localDate } from '../../domain/time';
import type { Action, Locale, Program } from '../../domain/types';
import { onCardAction, refuse, refusal, type CardAnswer } from '../card-actions';
import { command } from '../command-route';
import type { BotDeps } from '../deps';
import { assertTeamEditor } from '../roles';
import { bindingOf, cardActorOf, localeOf, requestIdOf } from '../turn';
import { describeRole } from './help.flow';

type PagePayload = z.infer<typeof actionsPagePayload>;
type EditOpenPayload = z.infer<typeof actionEditOpenPayload>;
type EditSavePayload = z.infer<typeof actionEditSavePayload>;

/** What every handler of this flow works with: one service per registration. */
interface ActionsFlow {
  deps: BotDeps;
  service: ActionService;
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  const flow: ActionsFlow = {
    deps,
    service: new ActionService({ program: deps.program, repos: deps.repos, clock: deps.clock }),
  };
  app.message(command('actions'), (context) => listActions(flow, context));
  onCardAction(app, deps, VERBS.actionsPage, actionsPagePayload, (context, data) => showPage(flow, context, data));
  onCardAction(app, deps, VERBS.actionEditOpen, actionEditOpenPayload, (context, data) =>
    openEditForm(flow, context, data),
  );
  onCardAction(app, deps, VERBS.actionEditSave, actionEditSavePayload, (context, data) =>
    saveEditForm(flow, context, data),
  );
}

// -- the list -----------------------------------------------------------------------------------

function actionListView(program: Program, teamKey: string, actions: Action[], today: string): ActionListView {
  return {
    teamKey,
    teamName: teamName(program, teamKey),
    // A retired action left the plan in a revision: it stays in the log and the exports, not here.
    actions: actions
      .filter((a) => !isRetired(a))
      .sort(byDueThenId)
      .map((a) => actionRowView(a, today)),
  };
}

async function teamActionsView(deps: BotDeps, teamKey: string): Promise<ActionListView> {
  const actions = await deps.repos.actions.listByTeam(deps.program.id, teamKey);
  return actionListView(deps.program, teamKey, actions, localDate(deps.clock.now(), deps.program.timezone));
}

/** `åtgärder` / `actions`: the list of the channel's team. */
async function listActions({ deps }: ActionsFlow, context: TurnContext): Promise<void> {
  const locale = localeOf(context, deps.program);
  const binding = await bindingOf(context, deps);
  if (!binding) {
    await context.sendActivity(t(locale, 'actions.unbound'));
    return;
  }
  if (binding.role.kind !== 'team') {
    await context.sendActivity(
      t(locale, 'actions.notTeam', { role: describeRole(binding.role, deps.program, locale) }),
    );
    return;
  }
  const view = await teamActionsView(deps, binding.role.teamKey);
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(actionListCard(view, locale))] });
}

/** Another page of the list. */
async function showPage({ deps }: ActionsFlow, context: TurnContext, data: PagePayload): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  if (!deps.program.teams.some((x) => x.key === data.teamKey)) {
    return refuse(t(locale, 'error.notFound', { what: data.teamKey }), locale);
  }
  return actionListCard(await teamActionsView(deps, data.teamKey), locale, data.page);
}

// -- adding and editing -------------------------------------------------------------------------

const FIELD_NAMES: Record<string, TextKey> = {
  title: 'actionEdit.fieldName.title',
  owner: 'actionEdit.fieldName.owner',
  due: 'actionEdit.fieldName.due',
  description: 'actionEdit.fieldName.description',
};

function formValues(action: Action | undefined): ActionFormValues {
  return {
    title: action?.title ?? '',
    ownerName: action?.owner.name ?? '',
    ownerEmail: action?.owner.email ?? '',
    due: action?.due ?? '',
    description: action?.description ?? '',
  };
}

/** The add/edit form: empty for a new action, filled in for the id given or picked in the list. */
async function openEditForm(
  { deps, service }: ActionsFlow,
  context: TurnContext,
  data: EditOpenPayload,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  if (!service.hasTeam(data.teamKey))
    return refuse(t(locale, 'checkin.error.unknownTeam', { team: data.teamKey }), locale);
  const actionId = data.actionId ?? data[ACTION_EDIT_INPUTS.pick];
  // Refused before the form is filled in, not after.
  await assertTeamEditor(context, deps, data.teamKey, locale, actionId);
  const view: ActionEditView = {
    teamKey: data.teamKey,
    teamName: teamName(deps.program, data.teamKey),
    values: formValues(undefined),
  };
  if (actionId) {
    const action = await deps.repos.actions.get(deps.program.id, actionId);
    if (!action || action.teamKey !== data.teamKey) {
      return refuse(t(locale, 'actionEdit.unknownAction', { id: actionId, team: view.teamName }), locale);
    }
    Object.assign(view, { actionId: action.id, etag: action.etag, values: formValues(action) });
  }
  return actionEditCard(view, locale);
}

/** "Save" on the form: the action added or changed, or the form back with why not. */
async function saveEditForm(
  { deps, service }: ActionsFlow,
  context: TurnContext,
  data: EditSavePayload,
): Promise<CardAnswer> {
  const locale = localeOf(context, deps.program);
  if (service.hasTeam(data.teamKey)) await assertTeamEditor(context, deps, data.teamKey, locale, data.actionId);
  const values: Partial<ActionFormValues> = {
    title: data[ACTION_EDIT_INPUTS.title],
    ownerName: data[ACTION_EDIT_INPUTS.ownerName],
    ownerEmail: data[ACTION_EDIT_INPUTS.ownerEmail],
    due: data[ACTION_EDIT_INPUTS.due],
    description: data[ACTION_EDIT_INPUTS.description],
  };
  const outcome = await service.saveAction(
    { teamKey: data.teamKey, actionId: data.actionId, etag: data.etag, values },
    cardActorOf(context),
    requestIdOf(context),
  );
  const name = teamName(deps.program, data.teamKey);
  return saveOutcomeCard(
    outcome,
    { teamKey: data.teamKey, teamName: name, actionId: data.actionId, etag: data.etag, values },
    locale,
  );
}

function saveOutcomeCard(
  outcome: SaveActionOutcome,
  form: { teamKey: string; teamName: string; actionId?: string; etag?: string; values: Partial<ActionFormValues> },
  locale: Locale,
): CardAnswer {
  const saved = (action: Action, message: string) =>
    actionSavedCard(
      {
        teamKey: action.teamKey,
        teamName: form.teamName,
        actionId: action.id,
        message,
        title: action.title,
        owner: action.owner.name,
        due: action.due,
        timeline: action.timeline,
        ongoing: action.ongoing,
      },
      locale,
    );
  switch (outcome.kind) {
    case 'unknownTeam':
      return refuse(t(locale, 'checkin.error.unknownTeam', { team: form.teamKey }), locale);
    case 'unknownAction':
      return refuse(t(locale, 'actionEdit.unknownAction', { id: form.actionId ?? '?', team: form.teamName }), locale);
    case 'created':
    case 'duplicate':
      return saved(
        outcome.action,
        t(locale, form.actionId ? 'actionEdit.unchanged' : 'actionEdit.created', {
          id: outcome.action.id,
          title: outcome.action.title,
        }),
      );
    case 'updated':
      return saved(
        outcome.action,
        t(locale, 'actionEdit.updated', {
          id: outcome.action.id,
          fields: outcome.fields.map((f) => t(locale, FIELD_NAMES[f] ?? 'actionEdit.fieldName.title')).join(', '),
        }),
      );
    case 'unchanged':
      return saved(outcome.action, t(locale, 'actionEdit.unchanged', { id: outcome.action.id }));
    case 'conflict': {
      const text = t(locale, 'actionEdit.conflict', { id: outcome.action.id });
      const view = {
        teamKey: form.teamKey,
        teamName: form.teamName,
        actionId: outcome.action.id,
        etag: outcome.action.etag,
        values: formValues(outcome.action),
      };
      return refusal(actionEditCard({ ...view, notice: { tone: 'attention', text } }, locale), text);
    }
    case 'invalid': {
      // The form comes back with what was typed, so nothing has to be typed again.
      const due = form.values.due ?? '';
      const text = t(locale, 'actionEdit.invalid', { problems: problemsText(locale, outcome.problems) });
      const card = actionEditCard(
        {
          teamKey: form.teamKey,
          teamName: form.teamName,
          actionId: form.actionId,
          etag: form.etag,
          values: {
            title: (form.values.title ?? '').slice(0, ACTION_EDIT_LIMITS.title),
            ownerName: (form.values.ownerName ?? '').slice(0, ACTION_EDIT_LIMITS.ownerName),
            ownerEmail: (form.values.ownerEmail ?? '').slice(0, ACTION_EDIT_LIMITS.ownerEmail),
            // Input.Date only holds a well-formed date; a refused one is named in the notice.
            due:
              /^\d{4}-\d{2}-\d{2}$/.test(due) &&
              isValidDate(...(due.split('-').map(Number) as [number, number, number]))
                ? due
                : '',
            description: (form.values.description ?? '').slice(0, ACTION_EDIT_LIMITS.description),
          },
          notice: { tone: 'attention', text },
        },
        locale,
      );
      return refusal(card, text);
    }
  }
}
