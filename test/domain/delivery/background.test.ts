import { silentLogger } from '../../../bot/logger';
import { BackgroundTasks } from '../../../domain/delivery';
import { captureLogs } from '../../trust/helpers';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('BackgroundTasks', () => {
  it('coalesces a burst per key into the running one plus the latest waiting one', async () => {
    const bg = new BackgroundTasks(silentLogger());
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bg.coalesce('a', async () => {
      runs.push('first');
      await gate;
    });
    for (let i = 0; i < 10; i++) bg.coalesce('a', async () => void runs.push(`later-${i}`));
    bg.coalesce('b', async () => void runs.push('other-key'));
    await tick();
    expect(runs).toEqual(['first', 'other-key']);
    release();
    await bg.drain();
    expect(runs).toEqual(['first', 'other-key', 'later-9']);
    // After the burst, a new request runs again.
    bg.coalesce('a', async () => void runs.push('next'));
    await bg.drain();
    expect(runs.at(-1)).toBe('next');
  });

  it('logs failures, keeps going, and drain waits for tasks started meanwhile', async () => {
    const logs = captureLogs('debug');
    const bg = new BackgroundTasks(logs.logger);
    const done: number[] = [];
    bg.run('fails', async () => {
      throw new Error('boom');
    });
    bg.run('chain', async () => {
      await tick();
      bg.run('inner', async () => {
        await tick();
        done.push(2);
      });
      done.push(1);
    });
    bg.coalesce('k', async () => {
      throw new Error('boom');
    });
    await bg.drain();
    expect(done).toEqual([1, 2]);
    // Both failures (the run and the coalesced one) are logged as errors, with their task and message; nothing else is.
    const errors = logs.records().filter((r) => r.level >= 50);
    expect(errors.map((r) => ({ level: r.level, msg: r.msg, task: r.task, err: r.err }))).toEqual([
      { level: 50, msg: 'background task failed', task: 'fails', err: expect.objectContaining({ message: 'boom' }) },
      { level: 50, msg: 'background task failed', task: 'k', err: expect.objectContaining({ message: 'boom' }) },
    ]);
  });
});
