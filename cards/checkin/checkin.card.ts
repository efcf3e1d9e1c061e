/**
 * The weekly check-in card: the team, the ISO week, each open action with its state, and an
 * answer form per action (`Action.ShowCard`, so each form only sends its own inputs). Pages when
 * a team has many actions, to stay under Teams' card size limit.
 */
import { formatDate, formatWeek, t, type TextKey } from '../../domain/i18n';
import { ANSWER_LIMITS, type CheckInActionView, type CheckInView } from '../../domain/checkin';
import { ACTION_STATUSES, type Locale } from '../../domain/types';
import {
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  card,
  columns,
  container,
  execute,
  heading,
  literal,
  noticeBlock,
  subtle,
  text,
  statusColor,
} from '../card';
import { dueText } from '../actions';
import { answerInputId, CHECKIN_VERBS } from '../verbs/checkin';

/** Actions per page: with the answer form each action weighs ~3 KB; 6 at maximum sizes stay under MAX_CARD_BYTES. */
export const CHECKIN_ACTIONS_PER_PAGE = 6;

/** Longest title / owner shown on the card; longer text is cut with an ellipsis. */
const MAX_TITLE = 200;
const MAX_OWNER = 80;
/** The due phrase holds the plan's timeline text, which may be long. */
const MAX_TIMELINE = 160;

export interface CheckInCardOptions {
  page?: number;
  /** A line above the card: a thank-you after an answer, or why an answer was refused. */
  notice?: { text: string; tone: 'good' | 'attention' };
}

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

export function checkInPageCount(view: CheckInView): number {
  return Math.max(1, Math.ceil(view.actions.length / CHECKIN_ACTIONS_PER_PAGE));
}

/** The words of the answer form, the same in every form of every card: looked up once per language. */
interface FormTexts {
  status: string;
  invalidStatus: string;
  /** Shared by every form (frozen: a card is only ever serialised). */
  choices: readonly { title: string; value: string }[];
  progress: string;
  invalidProgress: string;
  comment: string;
  commentHint: string;
  blockers: string;
  blockersHint: string;
  nextStep: string;
  nextStepHint: string;
  highlight: string;
  forComms: string;
  send: string;
}

const formTextsByLocale = new Map<Locale, FormTexts>();

function formTexts(locale: Locale): FormTexts {
  let texts = formTextsByLocale.get(locale);
  if (!texts) {
    texts = {
      status: t(locale, 'checkin.field.status'),
      invalidStatus: t(locale, 'checkin.invalid.status'),
      choices: Object.freeze(
        ACTION_STATUSES.map((s) => Object.freeze({ title: t(locale, `status.${s}` as TextKey), value: s })),
      ),
      progress: t(locale, 'checkin.field.progress'),
      invalidProgress: t(locale, 'checkin.invalid.progress'),
      comment: t(locale, 'checkin.field.comment'),
      commentHint: t(locale, 'checkin.placeholder.comment'),
      blockers: t(locale, 'checkin.field.blockers'),
      blockersHint: t(locale, 'checkin.placeholder.blockers'),
      nextStep: t(locale, 'checkin.field.nextStep'),
      nextStepHint: t(locale, 'checkin.placeholder.nextStep'),
      highlight: t(locale, 'checkin.field.highlight'),
      forComms: t(locale, 'checkin.field.forComms'),
      send: t(locale, 'checkin.send'),
    };
    formTextsByLocale.set(locale, texts);
  }
  return texts;
}

function answerForm(view: CheckInView, a: CheckInActionView, locale: Locale, page: number): CardAction {
  const id = (field: Parameters<typeof answerInputId>[1]) => answerInputId(a.id, field);
  const w = formTexts(locale);
  const form: Record<string, unknown> = {
    type: 'AdaptiveCard',
    body: [
      {
        type: 'Input.ChoiceSet',
        id: id('status'),
        label: w.status,
        style: 'compact',
        isRequired: true,
        errorMessage: w.invalidStatus,
        value: a.status,
        choices: w.choices,
      },
      {
        type: 'Input.Number',
        id: id('progress'),
        label: w.progress,
        min: 0,
        max: 100,
        value: a.progress,
        errorMessage: w.invalidProgress,
      },
      {
        type: 'Input.Text',
        id: id('comment'),
        label: w.comment,
        placeholder: w.commentHint,
        isMultiline: true,
        maxLength: ANSWER_LIMITS.comment,
      },
      {
        type: 'Input.Text',
        id: id('blockers'),
        label: w.blockers,
        placeholder: w.blockersHint,
        isMultiline: true,
        maxLength: ANSWER_LIMITS.blockers,
      },
      {
        type: 'Input.Text',
        id: id('next'),
        label: w.nextStep,
        placeholder: w.nextStepHint,
        isMultiline: true,
        maxLength: ANSWER_LIMITS.nextStep,
      },
      {
        type: 'Input.Toggle',
        id: id('highlight'),
        title: w.highlight,
        value: 'false',
        valueOn: 'true',
        valueOff: 'false',
      },
      {
        type: 'Input.Text',
        id: id('comms'),
        label: w.forComms,
        maxLength: ANSWER_LIMITS.forComms,
      },
    ],
    actions: [
      execute(
        w.send,
        CHECKIN_VERBS.checkinAnswer,
        { teamKey: view.teamKey, week: view.week, actionId: a.id, page },
        { style: 'positive' },
      ),
    ],
  };
  return { type: 'Action.ShowCard', title: t(locale, 'checkin.update', { id: a.id }), card: form };
}

function actionBlock(view: CheckInView, a: CheckInActionView, locale: Locale, page: number): CardElement {
  const due = cut(dueText(locale, a), MAX_TIMELINE);
  // The answerer's name is user text: a TextRun is never parsed as Markdown.
  const answered = a.answered
    ? literal(
        t(locale, 'checkin.answeredBy', {
          name: cut(a.answered.by, MAX_OWNER),
          date: formatDate(locale, a.answered.date),
          time: a.answered.time,
        }),
        { spacing: 'None' },
        { size: 'Small', color: 'Good', weight: 'Bolder' },
      )
    : subtle(t(locale, 'checkin.notAnswered'));
  return container(
    [
      columns([
        { items: [literal(`${a.id} · ${cut(a.title, MAX_TITLE)}`, {}, { weight: 'Bolder' })] },
        {
          width: 'auto',
          items: [
            text(t(locale, `status.${a.status}` as TextKey), {
              color: statusColor(a.status),
              weight: 'Bolder',
              horizontalAlignment: 'Right',
            }),
          ],
        },
      ]),
      literal(
        t(locale, 'checkin.meta', { owner: cut(a.owner || '–', MAX_OWNER), due, progress: a.progress }),
        { spacing: 'None' },
        { isSubtle: true, size: 'Small' },
      ),
      ...(a.overdue
        ? [text(t(locale, 'actions.overdue'), { color: 'Attention', size: 'Small', spacing: 'None', weight: 'Bolder' })]
        : []),
      answered,
      { type: 'ActionSet', actions: [answerForm(view, a, locale, page)] },
    ],
    { separator: true, spacing: 'Medium' },
  );
}

/** The most follow-ups one card shows (soonest due first). */
const FOLLOW_UPS_SHOWN = 4;

/** Steering group follow-ups that fall to this team, each with a button to mark it done. */
function followUpBlock(view: CheckInView, locale: Locale, page: number): CardElement {
  const shown = view.followUps.slice(0, FOLLOW_UPS_SHOWN);
  return container(
    [
      text(t(locale, 'checkin.followUps.title'), { weight: 'Bolder' }),
      ...shown.map((f) =>
        columns(
          [
            {
              items: [
                literal(
                  t(locale, 'checkin.followUps.item', {
                    number: f.number,
                    title: cut(f.title, 70),
                    owner: cut(f.owner, 40) || '–',
                    due: formatDate(locale, f.due),
                  }),
                ),
                ...(f.overdue
                  ? [
                      text(t(locale, 'checkin.followUps.overdue'), {
                        color: 'Attention',
                        size: 'Small',
                        spacing: 'None',
                        weight: 'Bolder',
                      }),
                    ]
                  : []),
              ],
            },
            {
              width: 'auto',
              items: [
                {
                  type: 'ActionSet',
                  actions: [
                    execute(
                      t(locale, 'checkin.followUps.done', { number: f.number }),
                      CHECKIN_VERBS.checkinFollowUpDone,
                      { teamKey: view.teamKey, week: view.week, page, number: f.number },
                    ),
                  ],
                },
              ],
            },
          ],
          { spacing: 'Small' },
        ),
      ),
    ],
    { separator: true, spacing: 'Large' },
  );
}

export function checkInCard(view: CheckInView, locale: Locale, options: CheckInCardOptions = {}): AdaptiveCard {
  const pages = checkInPageCount(view);
  const page = Math.min(Math.max(0, options.page ?? 0), pages - 1);
  const items = view.actions.slice(page * CHECKIN_ACTIONS_PER_PAGE, (page + 1) * CHECKIN_ACTIONS_PER_PAGE);
  const title = t(locale, 'checkin.title', { team: view.teamName });
  const body: CardElement[] = noticeBlock(options.notice);
  body.push(
    heading(title),
    subtle(
      t(locale, 'checkin.subtitle', {
        week: formatWeek(locale, view.week, true),
        answered: view.answered,
        total: view.total,
      }) + (pages > 1 ? ` · ${t(locale, 'actions.page', { page: page + 1, pages })}` : ''),
    ),
  );
  if (view.actions.length === 0) body.push(text(t(locale, 'checkin.empty', { team: view.teamName })));
  else body.push(text(t(locale, 'checkin.intro')));
  body.push(...items.map((a) => actionBlock(view, a, locale, page)));
  // On the first page only: the card stays under Teams' size limit at full pages.
  if (view.followUps.length > 0 && page === 0) body.push(followUpBlock(view, locale, page));
  const actions: CardAction[] = [];
  if (page > 0)
    actions.push(
      execute(t(locale, 'actions.previous'), CHECKIN_VERBS.checkinPage, {
        teamKey: view.teamKey,
        week: view.week,
        page: page - 1,
      }),
    );
  if (page < pages - 1)
    actions.push(
      execute(t(locale, 'actions.next'), CHECKIN_VERBS.checkinPage, {
        teamKey: view.teamKey,
        week: view.week,
        page: page + 1,
      }),
    );
  return card(body, actions, { fallbackText: `${title} · ${formatWeek(locale, view.week)}` });
}

export interface CheckInPointerView {
  teamKey: string;
  teamName: string;
  week: string;
  /** The channel to post a new one in. */
  channelId: string;
  postedDate: string;
  postedTime: string;
  answered: number;
  total: number;
  /** Deep link to the posted card, when known. */
  url?: string;
  /** Name of the channel the check-in is in, when it is not this one. */
  otherChannel?: string;
}

/** "This week's check-in already exists": a pointer to it and a button to post a new one. */
export function checkInPointerCard(view: CheckInPointerView, locale: Locale): AdaptiveCard {
  const body: CardElement[] = [
    text(
      t(locale, 'checkin.exists', {
        team: view.teamName,
        week: formatWeek(locale, view.week),
        date: formatDate(locale, view.postedDate),
        time: view.postedTime,
        answered: view.answered,
        total: view.total,
      }),
    ),
  ];
  if (view.otherChannel) body.push(literal(t(locale, 'checkin.existsElsewhere', { channel: view.otherChannel })));
  const actions: CardAction[] = [];
  if (view.url) actions.push({ type: 'Action.OpenUrl', title: t(locale, 'checkin.open'), url: view.url });
  actions.push(
    execute(t(locale, 'checkin.postAnew'), CHECKIN_VERBS.checkinRepost, {
      teamKey: view.teamKey,
      week: view.week,
      channelId: view.channelId,
    }),
  );
  return card(body, actions, { fallbackText: t(locale, 'checkin.title', { team: view.teamName }) });
}
