/**
 * `npm run dev`'s setup works: the same function starts the compiler in watch mode, the compiled
 * bot under `node --watch`, the proxy and the playground with the repository's playground config;
 * a browser opens the printed URL and sees the bot's welcome in the team channel.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../../storage/azurite';
import { repoRoot, startDev, type DevSetup } from '../../scripts/dev';
import {
  PLAYGROUND_CONFIG_FILE,
  PLAYGROUND_SETUP,
  PlaygroundPage,
  launchChromium,
  playgroundConfigYaml,
} from '../support/playground';

jest.setTimeout(240000);

const root = repoRoot();

it("the repository's playground config is the one the tests use", () => {
  expect(fs.readFileSync(path.join(root, PLAYGROUND_CONFIG_FILE), 'utf8')).toBe(playgroundConfigYaml(PLAYGROUND_SETUP));
});

describe('npm run dev', () => {
  let dev: DevSetup | undefined;
  let dataDir: string;
  const lines: string[] = [];
  /** The loop's last lines, to explain a failure. */
  const withOutput = async (check: () => Promise<void>) => {
    try {
      await check();
    } catch (err) {
      (err as Error).message += `\n--- npm run dev said (last lines) ---\n${lines.slice(-30).join('\n')}`;
      throw err;
    }
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kraftsamla-dev-'));
    dev = await startDev({
      cwd: root,
      // A store on disk (as in real use): a reload on someone's save does not lose the team.
      env: {
        ...process.env,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        AZURITE_IN_MEMORY: 'false',
        SCHEDULER_ENABLED: 'false',
        LOG_LEVEL: 'info',
      },
      playgroundPort: await freePort(),
      seed: true,
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await dev?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints where to open the playground, and the bot's welcome shows in the team's General channel", async () => {
    expect(lines).toContain(`  öppna ${dev!.playgroundUrl} i webbläsaren`);
    expect(lines).toContain(
      `  programöversikten (fliken) ${dev!.botUrl}/tab – Playground visar inga flikar, så öppna den i webbläsaren`,
    );
    expect((await fetch(`${dev!.botUrl}/tab`)).status).toBe(200);
    expect(lines.some((l) => l.startsWith('[bot]') && l.includes('Kraftsamla is listening'))).toBe(true);
    // --seed loaded the demo program into the running bot's Azurite.
    expect(lines).toContain('[seed] Åtgärder: 45 nya, 0 fanns redan.');

    const browser = await launchChromium();
    try {
      await withOutput(async () => {
        const ui = await PlaygroundPage.open(browser, dev!.playgroundUrl);
        await ui.openGeneral();
        const welcome = await ui.waitForCard('Hej! Jag är Kraftsamla');
        await expect(welcome.innerText()).resolves.toContain('Kanaler i teamet: General, Bostäder');
      });
    } finally {
      await browser.close();
    }
  });

  it('restarts the bot when its compiled code changes', async () => {
    const started = () => lines.filter((l) => l.startsWith('[bot]') && l.includes('Kraftsamla is listening')).length;
    const before = started();
    // What tsc --watch does on a save: rewrite the output. (Only the time changes here.)
    const entry = path.join(root, 'dist', 'bot', 'index.js');
    const now = new Date();
    fs.utimesSync(entry, now, now);
    const deadline = Date.now() + 60000;
    while (started() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await withOutput(async () => {
      expect(lines).toContain("[bot] Restarting 'dist/bot/index.js'");
      expect(started()).toBeGreaterThan(before);
      const health = await fetch(`${dev!.botUrl}/healthz`);
      expect(health.status).toBe(200);
    });
  });

  it('stops every process it started', async () => {
    const setup = dev!;
    dev = undefined;
    await setup.stop();
    const answers = (url: string) =>
      fetch(url).then(
        () => true,
        () => false,
      );
    expect(await answers(`${setup.botUrl}/healthz`)).toBe(false);
    expect(await answers(setup.playgroundUrl)).toBe(false);
    // The bot's Azurite saved its data and went away with it.
    expect(fs.existsSync(path.join(dataDir, 'azurite.json'))).toBe(false);
  });
});
