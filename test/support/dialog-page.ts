/**
 * A dialog's card outside Teams. The Microsoft 365 Agents Playground shows no dialogs, so the card
 * of a `continue` answer (what a message extension's `composeExtension/fetchTask` gets back) is
 * rendered here with the adaptivecards package's browser bundle, in a page of its own, inside a
 * panel drawn like a Teams dialog: white, rounded, with the dialog's title and a close mark above
 * the card. Only the look of Teams is imitated (its host colours, font sizes, inputs and buttons);
 * the card is the bot's, unchanged.
 *
 *   const task = await askForDialog(s.proxy.endpoint, fetchTaskInvoke({ … })); // the bot's answer
 *   const panel = await openDialogPage(s.browser, task);                   // the panel, to photograph
 */
import type { Browser, Locator } from 'playwright-core';

/** A dialog as the bot answers it (`task.value` of a `continue` answer). */
export interface DialogTask {
  title: string;
  /** An Adaptive Card attachment (`contentType` + `content`), as the bot sends it. */
  card: { contentType: string; content: Record<string, unknown> };
}

/** What the bot answered to a fetchTask (or submitAction) invoke: the dialog, or its message. */
export function dialogOfAnswer(answer: unknown): DialogTask {
  const task = (answer as { task?: { type?: string; value?: unknown } } | undefined)?.task;
  if (task?.type !== 'continue') throw new Error(`Not a dialog: ${JSON.stringify(answer).slice(0, 300)}`);
  const value = task.value as Partial<DialogTask>;
  if (typeof value.title !== 'string' || value.card?.contentType !== 'application/vnd.microsoft.card.adaptive')
    throw new Error(`The dialog has no Adaptive Card: ${JSON.stringify(value).slice(0, 300)}`);
  return value as DialogTask;
}

/** Sends the invoke to the bot (as Teams would, over HTTP) and returns the dialog it answers with. */
export async function askForDialog(endpoint: string, invoke: object): Promise<DialogTask> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(invoke),
  });
  if (res.status !== 200) throw new Error(`The bot answered the invoke with HTTP ${res.status}: ${await res.text()}`);
  return dialogOfAnswer(await res.json());
}

/** Segoe UI where it is installed, else the sans-serif the playground's pictures show. */
const FONTS = '"Segoe UI", "Liberation Sans", Arial, sans-serif';

/** Teams' light theme, as far as an Adaptive Card sees it. */
const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: FONTS,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 0 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
      },
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
      },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'medium',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16 },
    actionsOrientation: 'horizontal',
    actionAlignment: 'right',
  },
  inputs: {
    label: {
      inputSpacing: 'small',
      requiredInputs: { weight: 'default', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'default' },
    },
    errorMessage: { size: 'small', spacing: 'small' },
  },
};

/** The page around the card: Teams' grey behind a dialog panel, and its inputs and buttons. */
const PAGE = `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<style>
  html, body { margin: 0; background: #EBEBEB; font-family: ${FONTS}; }
  #frame { display: inline-block; padding: 32px; background: #EBEBEB; }
  #dialog { width: 600px; background: #FFFFFF; border-radius: 8px; box-shadow: 0 8px 24px rgba(0,0,0,.22), 0 2px 6px rgba(0,0,0,.12); }
  #titlebar { display: flex; align-items: center; justify-content: space-between; padding: 20px 24px 8px; }
  #title { font-size: 20px; font-weight: 600; color: #242424; }
  #close { font-size: 18px; color: #424242; line-height: 1; }
  #card { padding: 8px 24px 24px; }
  .ac-adaptiveCard { padding: 0 !important; }
  .ac-input, .ac-textInput, .ac-dateInput, .ac-multichoiceInput select {
    font: inherit; font-size: 14px; font-weight: 400; color: #242424; background: #F5F5F5; border: 1px solid transparent;
    border-bottom: 1px solid #D1D1D1; border-radius: 4px; padding: 6px 8px; box-sizing: border-box; width: 100%;
  }
  textarea.ac-input { min-height: 64px; resize: none; }
  .ac-input::placeholder { color: #707070; }
  .ac-choiceSetInput-expanded label, .ac-choiceSetInput-multiSelect label { font-size: 14px; color: #242424; }
  .ac-choiceSetInput-expanded input, .ac-choiceSetInput-multiSelect input { accent-color: #5B5FC7; margin-right: 6px; }
  .ac-pushButton {
    font: inherit; font-size: 14px; font-weight: 600; padding: 6px 16px; min-height: 32px; border-radius: 4px;
    border: 1px solid #D1D1D1; background: #FFFFFF; color: #242424; flex: 0 0 auto !important;
  }
  .ac-pushButton.style-positive, .ac-pushButton.primary { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
</style>
</head>
<body><div id="frame"><div id="dialog" role="dialog" aria-labelledby="title">
  <div id="titlebar"><span id="title"></span><span id="close" aria-label="Stäng">✕</span></div>
  <div id="card"></div>
</div></div></body>
</html>`;

/**
 * Opens a page of its own with the dialog drawn in it; returns the framed panel (for a picture).
 * Throws when the renderer could not draw the card.
 */
export async function openDialogPage(
  browser: Browser,
  task: DialogTask,
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<Locator> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 1600 },
    locale: options.locale ?? 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  // Nothing leaves the machine: the page and the renderer are local.
  await page.route('**/*', (route) => route.abort('blockedbyclient'));
  await page.setContent(PAGE);
  await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
  const problems = await page.evaluate(
    ({ title, card, hostConfig }) => {
      type Ac = {
        AdaptiveCard: new () => {
          hostConfig: unknown;
          parse(json: unknown, context?: unknown): void;
          render(): HTMLElement | undefined;
        };
        HostConfig: new (json: unknown) => unknown;
        SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
      };
      const ac = (window as unknown as { AdaptiveCards: Ac }).AdaptiveCards;
      document.getElementById('title')!.textContent = title;
      const rendered = new ac.AdaptiveCard();
      rendered.hostConfig = new ac.HostConfig(hostConfig);
      const parsing = new ac.SerializationContext();
      rendered.parse(card, parsing);
      const element = rendered.render();
      const out: string[] = [];
      for (let i = 0; i < parsing.eventCount; i++) out.push(parsing.getEventAt(i).message);
      if (!element) out.push('the renderer drew nothing');
      else document.getElementById('card')!.appendChild(element);
      // Chromium draws a date field in its own language (English here), whatever the page's; Teams
      // in Swedish shows the date as YYYY-MM-DD, which is the field's value: shown as text.
      for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[type=date]'))) {
        input.type = 'text';
        input.placeholder = 'åååå-mm-dd';
      }
      return out;
    },
    { title: task.title, card: task.card.content, hostConfig: TEAMS_HOST_CONFIG },
  );
  if (problems.length > 0) throw new Error(`The dialog's card did not render: ${problems.join('; ')}`);
  return page.locator('#frame');
}
